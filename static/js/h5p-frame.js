// Runs inside an H5P block's sandboxed frame (served as __hope__/h5p-frame.js, docs/scorm.md):
// plays the content with h5p-standalone and posts its xAPI "completed" and "answered"
// statements, for the content as a whole, to the lesson page.
(function () {
  'use strict'
  // The sandbox gives the frame no storage, and reading localStorage throws; H5P keeps
  // nothing there that must last, so it gets a store that lasts as long as the page.
  try {
    window.localStorage.getItem('x')
  } catch (error) {
    var items = {}
    var memory = {
      getItem: function (key) { return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null },
      setItem: function (key, value) { items[key] = String(value) },
      removeItem: function (key) { delete items[key] },
      clear: function () { items = {} },
      key: function (n) { return Object.keys(items)[n] || null }
    }
    Object.defineProperty(window, 'localStorage', { value: memory, configurable: true })
    Object.defineProperty(window, 'sessionStorage', { value: memory, configurable: true })
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start)
  } else {
    start()
  }
})()

function start () {
  'use strict'
  var base = location.pathname.replace(/\/__hope__\/player\.html$/, '')
  var parentOrigin = document.documentElement.getAttribute('data-parent-origin')
  var options = {
    h5pJsonPath: base,
    frameJs: base + '/__hope__/h5p/frame.bundle.js',
    frameCss: base + '/__hope__/h5p/styles/h5p.css',
    embedType: 'div'
  }
  new H5PStandalone.H5P(document.getElementById('h5p-container'), options).then(function () {
    window.H5P.externalDispatcher.on('xAPI', function (event) {
      var statement = event.data && event.data.statement
      var verb = statement && statement.verb && statement.verb.id ? statement.verb.id.split('/').pop() : ''
      if (verb !== 'completed' && verb !== 'answered') return
      var context = statement.context && statement.context.contextActivities
      if (context && context.parent) return // a part of the content, not the whole
      var result = statement.result || {}
      var score = result.score || {}
      window.parent.postMessage({
        hopeH5p: {
          verb: verb,
          completion: result.completion === true,
          scoreRaw: typeof score.raw === 'number' ? score.raw : null,
          scoreMax: typeof score.max === 'number' ? score.max : null
        }
      }, parentOrigin)
    })
  })
}
