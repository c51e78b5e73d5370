// Progressive enhancement for a report or data download: polls the status URL and reloads the
// page once the file is ready (or cannot be made). Without JavaScript nothing reloads on a timer:
// the page offers a "Check again" button.
const box = document.getElementById('report-export')
const url = box && box.dataset.statusUrl
const bar = document.getElementById('report-progress')

async function poll () {
  try {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    if (!response.ok) return
    const data = await response.json()
    if (bar) bar.value = data.progress
    if (data.ready || data.status === 'failed' || data.status === 'expired') {
      window.location.reload()
      return
    }
  } catch (error) {
    // Try again on the next tick.
  }
  window.setTimeout(poll, 1000)
}

if (url && bar) window.setTimeout(poll, 500)
