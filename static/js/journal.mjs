// Journal pages. Without JavaScript nothing here is needed: the form posts normally, text is
// kept on errors and over an expired session, and the server's idle timeout signs people out.
//
// 1. Autosave: after a spell without typing, the form is posted to the autosave URL and kept as
//    a private draft; "Draft saved at HH:MM" is announced in the status line.
// 2. Idle privacy: after the idle timeout without input, the journal text is hidden until the
//    person chooses to show it again (for shared workstations).

const AUTOSAVE_AFTER_MS = 20000

const form = document.querySelector('form[data-hope-autosave]')

if (form) {
  const status = document.getElementById('hope-draft-status')
  let timer = null
  let dirty = false
  let saving = false

  const save = async () => {
    if (!dirty || saving) return
    saving = true
    dirty = false
    const data = new FormData(form)
    data.delete('confirm_identifiers')
    if (form.dataset.entryId) data.set('entry', form.dataset.entryId)
    try {
      const response = await fetch(form.dataset.hopeAutosave, {
        method: 'POST',
        body: data,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
        redirect: 'manual'
      })
      if (response.type === 'opaqueredirect' || response.status === 302) {
        if (status) status.textContent = form.dataset.signedOutMessage
        return
      }
      const result = await response.json()
      // The autosave was a request: the idle sign-out's warning starts counting again.
      document.dispatchEvent(new CustomEvent('hope:session-activity'))
      if (result.saved) {
        if (!form.dataset.entryId) {
          // From now on this form edits the draft it has just made.
          form.dataset.entryId = String(result.entry)
          form.action = result.edit_url
        }
        if (status) status.textContent = result.message
      }
    } catch (error) {
      dirty = true
    } finally {
      saving = false
    }
  }

  form.addEventListener('input', () => {
    dirty = true
    clearTimeout(timer)
    const seconds = Number(form.dataset.autosaveSeconds)
    timer = setTimeout(save, seconds > 0 ? seconds * 1000 : AUTOSAVE_AFTER_MS)
  })
  form.addEventListener('submit', () => {
    clearTimeout(timer)
    dirty = false
  })
}

const idle = document.querySelector('[data-idle-seconds]')
// Read each time, so the timeout always matches the page's attribute.
const idleMs = () => (idle ? Number(idle.dataset.idleSeconds) * 1000 : 0)

if (idleMs() > 0) {
  const main = document.getElementById('maincontent') || document.body
  let idleTimer = null
  let reveal = null

  const texts = () => document.querySelectorAll('.hope-journal-text, .hope-reflection-text')

  const show = () => {
    for (const element of texts()) {
      element.hidden = false
      element.classList.remove('hope-journal-text--hidden')
    }
    if (reveal) {
      reveal.remove()
      reveal = null
    }
    restart()
  }

  const hide = () => {
    if (reveal) return
    for (const element of texts()) {
      element.hidden = true
      element.classList.add('hope-journal-text--hidden')
    }
    reveal = document.createElement('button')
    reveal.type = 'button'
    reveal.className = 'nhsuk-button nhsuk-button--secondary hope-journal-reveal'
    reveal.textContent = idle.dataset.hiddenLabel
    reveal.addEventListener('click', show)
    main.prepend(reveal)
  }

  const restart = () => {
    clearTimeout(idleTimer)
    if (!reveal) idleTimer = setTimeout(hide, idleMs())
  }

  for (const name of ['keydown', 'mousedown', 'mousemove', 'touchstart', 'wheel', 'input']) {
    document.addEventListener(name, restart, { passive: true })
  }
  restart()
}
