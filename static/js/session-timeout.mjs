// The warning before the idle sign-out. The server signs people out after a spell without a
// request (learning/session_timeout.py); this shows "You will be signed out soon" before then,
// and "Stay signed in" (or Escape) tells the server the person is still here. Without this
// file nothing shows and the server's limit is unchanged.
//
// The idle limit belongs to the session, not the tab: a request from any tab keeps every tab
// signed in. So each tab tells the others (BroadcastChannel, or the storage event where that is
// missing) the new deadline whenever it learns of activity, and a tab whose warning is open
// closes it when another tab has kept the session alive.

const dialog = document.getElementById('hope-timeout-dialog')

if (dialog && typeof dialog.showModal === 'function') {
  const warnSeconds = Number(dialog.dataset.warnSeconds)
  const idleSeconds = Number(dialog.dataset.idleSeconds)
  const extendForm = dialog.querySelector('form[data-hope-extend]')
  const countdown = dialog.querySelector('[data-hope-countdown]')
  let deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000
  let warnTimer = null
  let tick = null
  let returnFocus = null

  // The words come from the page (data-word-* attributes), in the page's language.
  const said = (name, fallback, n) =>
    (dialog.dataset[name] || fallback).replace('{n}', String(n))
  const words = (seconds) => {
    if (seconds >= 90) {
      const minutes = Math.round(seconds / 60)
      return said('wordMinutes', '{n} minutes', minutes)
    }
    if (seconds >= 60) return said('wordMinute', '1 minute', 1)
    return seconds === 1
      ? said('wordSecond', '1 second', 1)
      : said('wordSeconds', '{n} seconds', seconds)
  }

  const signedOut = () => {
    // A plain request: the server sees the session has ended and sends the person to sign in.
    window.location.assign(window.location.href)
  }

  const update = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000))
    if (countdown) countdown.textContent = words(left)
    if (left <= 0) {
      clearInterval(tick)
      signedOut()
    }
  }

  const open = () => {
    if (dialog.open) return
    returnFocus = document.activeElement
    update()
    dialog.showModal()
    tick = setInterval(update, 1000)
  }

  const schedule = () => {
    clearTimeout(warnTimer)
    const wait = Math.max(0, deadline - Date.now() - warnSeconds * 1000)
    warnTimer = setTimeout(open, wait)
  }

  const close = () => {
    clearInterval(tick)
    if (dialog.open) dialog.close()
    if (returnFocus && typeof returnFocus.focus === 'function') returnFocus.focus()
    returnFocus = null
  }

  const channelName = 'hope-session-activity'
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(channelName) : null

  const share = () => {
    const message = { deadline }
    if (channel) {
      channel.postMessage(message)
      return
    }
    try {
      window.localStorage.setItem(channelName, JSON.stringify(message))
    } catch {
      // storage refused (private mode, full): each tab keeps its own countdown
    }
  }

  const heard = (message) => {
    const later = Number(message && message.deadline)
    if (!Number.isFinite(later) || later <= deadline) return
    deadline = later
    close()
    schedule()
  }

  if (channel) {
    channel.addEventListener('message', (event) => heard(event.data))
  } else {
    window.addEventListener('storage', (event) => {
      if (event.key !== channelName || !event.newValue) return
      try {
        heard(JSON.parse(event.newValue))
      } catch {
        // not ours to read
      }
    })
  }

  const extend = async () => {
    let response
    try {
      response = await fetch(extendForm.action, {
        method: 'POST',
        body: new FormData(extendForm),
        headers: { Accept: 'application/json' },
        credentials: 'same-origin'
      })
    } catch {
      return // offline: the warning stays open and the countdown carries on
    }
    const type = response.headers.get('Content-Type') || ''
    if (!response.ok || !type.includes('application/json')) {
      signedOut()
      return
    }
    const body = await response.json()
    deadline = Date.now() + Number(body.seconds_left ?? idleSeconds) * 1000
    close()
    schedule()
    share()
  }

  extendForm.addEventListener('submit', (event) => {
    event.preventDefault()
    extend()
  })
  // Escape means "I am still here", as the button does.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    extend()
  })
  // Other scripts that talk to the server (the journal's autosave) say so: that was activity.
  document.addEventListener('hope:session-activity', () => {
    if (dialog.open) return
    deadline = Date.now() + idleSeconds * 1000
    schedule()
    share()
  })

  schedule()
  // Loading this page was a request, so every other tab's session has this deadline too.
  share()
}
