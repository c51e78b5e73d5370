// Plays a lesson's H5P content (docs/scorm.md): the content runs in an iframe sandboxed
// without allow-same-origin, where h5p-standalone plays it and posts its xAPI "completed" and
// "answered" statements here. Only messages from that frame are read; each is sent to the
// server with the CSRF token, and a completed lesson updates its "complete" panel in place.
(function () {
  'use strict'

  var players = []

  window.addEventListener('message', function (event) {
    var player = null
    for (var i = 0; i < players.length; i++) {
      if (players[i].frame.contentWindow === event.source) player = players[i]
    }
    var data = event.data && event.data.hopeH5p
    if (!player || !data || typeof data !== 'object' || !player.config.resultUrl) return
    var body = new URLSearchParams()
    body.set('verb', String(data.verb))
    body.set('completion', data.completion === true ? 'true' : 'false')
    body.set('score_raw', typeof data.scoreRaw === 'number' ? String(data.scoreRaw) : '')
    body.set('score_max', typeof data.scoreMax === 'number' ? String(data.scoreMax) : '')
    fetch(player.config.resultUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': player.config.csrfToken },
      body: body
    }).then(function (response) {
      return response.ok ? response.json() : null
    }).then(function (answer) {
      if (!answer) {
        player.status.textContent = player.root.getAttribute('data-hope-h5p-failed')
        return
      }
      if (answer.content_complete) {
        player.status.textContent = player.root.getAttribute('data-hope-h5p-done')
      }
      var form = document.querySelector('#lesson-complete form')
      if (answer.complete && form && form.requestSubmit) form.requestSubmit()
    }).catch(function () {
      player.status.textContent = player.root.getAttribute('data-hope-h5p-failed')
    })
  })

  var roots = document.querySelectorAll('[data-hope-h5p]')
  for (var i = 0; i < roots.length; i++) {
    var root = roots[i]
    var config = JSON.parse(document.getElementById(root.getAttribute('data-hope-h5p')).textContent)
    var frame = root.querySelector('iframe')
    players.push({ root: root, frame: frame, config: config, status: root.querySelector('[data-hope-h5p-status]') })
    frame.src = config.launch
  }
})()
