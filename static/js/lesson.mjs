// Knowledge checks and "mark complete" without a page reload. Without JavaScript the same
// forms post normally and the page comes back with the result.
const forms = document.querySelectorAll('form[data-hope-fragment]')

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
    const html = await response.text()
    const template = document.createElement('template')
    template.innerHTML = html.trim()
    const replacement = template.content.firstElementChild
    target.replaceWith(replacement)
    replacement.focus()
  } catch (error) {
    form.submit()
  }
}

if (forms.length) {
  document.addEventListener('submit', submit)
}
