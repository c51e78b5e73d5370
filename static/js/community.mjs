// Community thread pages. Without JavaScript nothing here is needed: "This helped me" is a
// form that posts and comes back to the same reply, and a name typed after @ is matched to the
// space's members when the post is saved.
//
// 1. "This helped me" is sent in the background and the button and the count change in place.
// 2. Mention suggestions: typing @ and the start of a name in a post's text box lists the
//    space's members who match. The text box stays a text box; it says which suggestion is
//    active (aria-activedescendant) and controls the list (aria-controls, role="listbox").
//    Up and down arrows move through the list, Enter or Tab chooses, Escape closes it. The
//    chosen person goes with the post as a hidden "mention" field, so the server knows exactly
//    who was meant.

const JSON_HEADERS = { Accept: 'application/json' }

// --- "This helped me" ---------------------------------------------------------------------

for (const form of document.querySelectorAll('form[data-hope-helped]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const button = form.querySelector('button')
    const field = form.querySelector('input[name="helped"]')
    const count = form.closest('.hope-helped').querySelector('.hope-helped__count')
    button.disabled = true
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body: new FormData(form),
        credentials: 'same-origin',
        headers: JSON_HEADERS
      })
      if (!response.ok) {
        form.submit()
        return
      }
      const result = await response.json()
      button.setAttribute('aria-pressed', result.helped ? 'true' : 'false')
      field.value = result.helped ? 'no' : 'yes'
      count.textContent = result.count_text
    } catch (error) {
      form.submit()
    } finally {
      button.disabled = false
    }
  })
}

// --- Mention suggestions --------------------------------------------------------------------

// "@" at the start or after a space, then up to two words of a name, ending at the caret.
const MENTION_AT_CARET = /(?:^|\s)@([^\s@]{1,40}(?: [^\s@]{0,40})?)$/
const WAIT_MS = 200

function mentions (form) {
  const box = form.querySelector('textarea[name="body"]')
  if (!box) return
  const url = form.dataset.hopeMentions
  // The status messages come from the page, translated there; {name} and {n} are filled here.
  const text = (name, fallback) => form.dataset[name] || fallback
  const listId = `${box.id}-mentions`
  const list = document.createElement('ul')
  list.id = listId
  list.className = 'hope-mentions'
  list.setAttribute('role', 'listbox')
  list.setAttribute('aria-label', form.dataset.mentionsLabel || 'People to mention')
  list.hidden = true
  const status = document.createElement('p')
  status.className = 'nhsuk-u-visually-hidden'
  status.setAttribute('role', 'status')
  box.insertAdjacentElement('afterend', list)
  list.insertAdjacentElement('afterend', status)
  box.setAttribute('aria-autocomplete', 'list')
  box.setAttribute('aria-controls', listId)

  let people = []
  let active = -1
  let token = null
  let timer = null
  let asked = 0

  const close = () => {
    list.hidden = true
    list.replaceChildren()
    people = []
    active = -1
    box.removeAttribute('aria-activedescendant')
  }

  const show = (index) => {
    active = index
    for (const [i, option] of [...list.children].entries()) {
      option.setAttribute('aria-selected', i === index ? 'true' : 'false')
    }
    if (index >= 0) box.setAttribute('aria-activedescendant', `${listId}-${index}`)
    else box.removeAttribute('aria-activedescendant')
  }

  const choose = (index) => {
    const person = people[index]
    if (!person || !token) return
    const before = box.value.slice(0, token.start)
    const after = box.value.slice(token.end)
    const inserted = `@${person.name} `
    box.value = before + inserted + after
    const caret = before.length + inserted.length
    box.setSelectionRange(caret, caret)
    if (!form.querySelector(`input[name="mention"][value="${person.id}"]`)) {
      const hidden = document.createElement('input')
      hidden.type = 'hidden'
      hidden.name = 'mention'
      hidden.value = String(person.id)
      form.appendChild(hidden)
    }
    status.textContent = text('mentionedText', '{name} mentioned.').replace('{name}', person.name)
    close()
    box.focus()
  }

  const render = (results) => {
    people = results
    list.replaceChildren()
    results.forEach((person, i) => {
      const option = document.createElement('li')
      option.id = `${listId}-${i}`
      option.className = 'hope-mentions__option'
      option.setAttribute('role', 'option')
      option.setAttribute('aria-selected', 'false')
      option.textContent = person.name
      option.addEventListener('mousedown', (event) => {
        event.preventDefault() // keep the focus in the text box
        choose(i)
      })
      list.appendChild(option)
    })
    if (!results.length) {
      close()
      status.textContent = text('noMatchText', 'No members of this space match.')
      return
    }
    list.hidden = false
    show(0)
    status.textContent = results.length === 1
      ? text('oneSuggestionText', '1 suggestion. Press Enter to choose it, or Escape to close.')
      : text(
        'suggestionsText',
        '{n} suggestions. Use the up and down arrows, then Enter to choose.'
      ).replace('{n}', String(results.length))
  }

  const ask = async () => {
    const caret = box.selectionStart
    const match = MENTION_AT_CARET.exec(box.value.slice(0, caret))
    if (!match) {
      token = null
      close()
      return
    }
    token = { start: caret - match[1].length - 1, end: caret }
    const sent = ++asked
    try {
      const response = await fetch(`${url}?${new URLSearchParams({ q: match[1] })}`, {
        credentials: 'same-origin',
        headers: JSON_HEADERS
      })
      if (sent !== asked) return // a later key press asked again
      if (!response.ok) {
        close()
        return
      }
      render((await response.json()).results)
    } catch (error) {
      close()
    }
  }

  box.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(ask, WAIT_MS)
  })
  box.addEventListener('keydown', (event) => {
    if (list.hidden || !people.length) return
    if (event.key === 'ArrowDown') {
      event.preventDefault()
      show((active + 1) % people.length)
    } else if (event.key === 'ArrowUp') {
      event.preventDefault()
      show((active - 1 + people.length) % people.length)
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      if (active >= 0) {
        event.preventDefault()
        choose(active)
      }
    } else if (event.key === 'Escape') {
      event.preventDefault()
      close()
    }
  })
  box.addEventListener('blur', () => setTimeout(close, 150))
}

for (const form of document.querySelectorAll('form[data-hope-mentions]')) mentions(form)
