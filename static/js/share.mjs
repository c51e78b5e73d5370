// "Copy the link" on the page that shows a new share's link once. Without JavaScript (or a
// clipboard) the button stays hidden and the link can be selected and copied by hand.
const button = document.querySelector('[data-copy]')
const field = button && document.getElementById(button.dataset.copy)
const status = document.getElementById('share-link-status')
if (button && field && navigator.clipboard) {
  button.hidden = false
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value)
      if (status) status.textContent = button.dataset.copied
    } catch {
      field.select()
    }
  })
}
