// Knowledge checks and "mark complete" without a page reload. Without JavaScript the same
// forms post normally and the page comes back with the result.
//
// A knowledge check answers with the HTML of its section. "Mark complete" answers with JSON:
// the panel's new HTML and the module's progress, so the sidebar's count, bar and ticks are
// brought up to date here too.
const forms = document.querySelectorAll('form[data-hope-fragment]')

function fromHtml (html) {
  const template = document.createElement('template')
  template.innerHTML = html.trim()
  return template.content.firstElementChild
}

function showProgress (data) {
  const bar = document.querySelector('#lesson-progress-label')
  if (bar) {
    bar.textContent = data.label
    const progress = document.querySelector('progress[aria-labelledby="lesson-progress-label"]')
    if (progress) progress.value = data.percent
  }
  const tick = document.querySelector('#lesson-tick')
  if (!tick) return
  for (const id of data.done_lessons) {
    const item = document.querySelector(`#lesson-list li[data-lesson-id="${id}"]`)
    if (item && !item.querySelector('.hope-lesson-nav__tick')) {
      item.append(' ', tick.content.firstElementChild.cloneNode(true))
    }
  }
}

async function submit (event) {
  const form = event.target.closest('form[data-hope-fragment]')
  if (!form) return
  event.preventDefault()
  const target = document.querySelector(form.dataset.hopeFragment)
  const button = form.querySelector('button[type=submit]')
  if (button) button.disabled = true
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      headers: { 'X-Hope-Fragment': '1' },
      credentials: 'same-origin'
    })
    if (response.redirected || !(response.ok || response.status === 400)) {
      form.submit()
      return
    }
    let replacement
    if ((response.headers.get('Content-Type') || '').includes('application/json')) {
      const data = await response.json()
      replacement = fromHtml(data.html)
      showProgress(data)
    } else {
      replacement = fromHtml(await response.text())
    }
    target.replaceWith(replacement)
    replacement.focus()
  } catch (error) {
    form.submit()
  }
}

if (forms.length) {
  document.addEventListener('submit', submit)
}
