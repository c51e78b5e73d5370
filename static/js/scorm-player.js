// Plays a lesson's SCORM package (docs/scorm.md). The package runs in an iframe sandboxed
// without allow-same-origin, so it cannot reach window.parent.API: the runtime shim served
// into its launch file (scorm-again's CrossFrameAPI) posts each SCORM call here, and this
// page keeps the data model in scorm-again (Scorm12API or Scorm2004API). Calls are taken only
// from the package's own frame. Commits go to the server as a form post with the CSRF token
// (also on the last commit, which the browser sends as a beacon when the package finishes).
(function () {
  'use strict'

  var METHODS = [
    'LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit',
    'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic',
    'Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit',
    'GetLastError', 'GetErrorString', 'GetDiagnostic', 'getFlattenedCMI'
  ]
  var players = []

  function answer (event, message) {
    // The frame's origin is opaque ("null"), so its answer cannot name an origin; it goes to
    // that one window only.
    event.source.postMessage(message, '*')
  }

  window.addEventListener('message', function (event) {
    var player = null
    for (var i = 0; i < players.length; i++) {
      if (players[i].frame.contentWindow === event.source) player = players[i]
    }
    var data = event.data
    if (!player || !data || typeof data !== 'object' || typeof data.messageId !== 'string') return
    if (data.isHeartbeat) {
      answer(event, { messageId: data.messageId, isHeartbeat: true })
      return
    }
    if (METHODS.indexOf(data.method) === -1) {
      answer(event, { messageId: data.messageId, error: { message: 'Method not allowed', code: '101' } })
      return
    }
    var params = Array.isArray(data.params) ? data.params.slice(0, 2) : []
    try {
      var result = player.api[data.method].apply(player.api, params)
      answer(event, { messageId: data.messageId, result: result })
    } catch (error) {
      answer(event, { messageId: data.messageId, error: { message: String(error && error.message), code: '101' } })
    }
  })

  function start (root) {
    var config = JSON.parse(document.getElementById(root.getAttribute('data-hope-scorm')).textContent)
    var frame = root.querySelector('iframe')
    var status = root.querySelector('[data-hope-scorm-status]')
    var Api = config.version === '1.2' ? window.Scorm12API : window.Scorm2004API
    if (!Api || !frame) return

    function saved (xhr) {
      var body = null
      try { body = JSON.parse(xhr.responseText) } catch (e) {}
      var ok = xhr.status >= 200 && xhr.status < 300 && body && body.result === 'true'
      if (!ok) {
        status.textContent = root.getAttribute('data-hope-scorm-failed')
      } else if (body.package_complete) {
        status.textContent = root.getAttribute('data-hope-scorm-done')
        // The lesson is complete too: the "mark complete" panel's own form brings the panel,
        // the progress bar and the ticks up to date (static/js/lesson.mjs).
        var form = document.querySelector('#lesson-complete form')
        if (body.complete && form && form.requestSubmit) form.requestSubmit()
      }
      return { result: ok ? 'true' : 'false', errorCode: ok ? 0 : 101 }
    }

    var settings = {
      autocommit: false,
      logLevel: 5,
      dataCommitFormat: 'flattened',
      lmsCommitUrl: config.commitUrl || false,
      terminationCommitContentType: 'application/x-www-form-urlencoded',
      xhrResponseHandler: saved,
      requestHandler: function (data) {
        return [
          'csrfmiddlewaretoken=' + encodeURIComponent(config.csrfToken),
          'cmi=' + encodeURIComponent(JSON.stringify(data))
        ]
      }
    }
    var api = new Api(settings)
    api.loadFromFlattenedJSON(config.initial, '')
    players.push({ frame: frame, api: api })
    // The launch URL's fragment carries the saved data model to the shim, so a package that
    // reads its place straight after initialising finds it (a fragment is never sent).
    frame.src = config.launch + '#hope-cmi=' + encodeURIComponent(JSON.stringify(config.initial))
  }

  var roots = document.querySelectorAll('[data-hope-scorm]')
  for (var i = 0; i < roots.length; i++) start(roots[i])
})()
