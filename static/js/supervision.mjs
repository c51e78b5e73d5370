// Supervision session form. Without JavaScript every field is shown and the server says what
// does not apply; with it, fields that do not apply to the chosen format are tucked away:
//
// - other members and people from outside: group formats only;
// - "attendance only": reflective practice groups and Schwartz Rounds only;
// - the summary and actions: hidden while "attendance only" is ticked.
//
// A part is never hidden while it holds something typed or an error, so nothing is lost.

const form = document.querySelector('form[data-hope-session]')

const holdsSomething = (part) =>
  part.querySelector('.nhsuk-form-group--error') !== null ||
  Array.from(part.querySelectorAll('input[type=text], input[type=email], textarea')).some(
    (field) => field.value.trim() !== ''
  ) ||
  Array.from(part.querySelectorAll('input[type=number]')).some(
    (field) => field.value !== '' && field.value !== '0'
  )

const show = (part, visible) => {
  part.hidden = !visible && !holdsSomething(part)
}

if (form) {
  const update = () => {
    const chosen = form.querySelector('input[name=format]:checked')
    const format = chosen ? chosen.value : ''
    const attendanceBox = form.querySelector('input[name=attendance_only]')
    for (const part of form.querySelectorAll('[data-hope-show-for]')) {
      show(part, part.dataset.hopeShowFor.split(' ').includes(format))
    }
    const attendanceOnly = Boolean(
      attendanceBox && attendanceBox.checked && !attendanceBox.closest('[hidden]')
    )
    for (const part of form.querySelectorAll('[data-hope-content]')) {
      show(part, !attendanceOnly)
    }
  }
  form.addEventListener('change', update)
  update()
}
