// Passkeys (WebAuthn) for allauth's pages, as a static file: the Content Security Policy allows
// no inline script. Each page marks its button with a data attribute; the options the browser
// needs come from the server in a data attribute too, never in a script element.
(function () {
  'use strict'
  const webauthnJSON = window.webauthnJSON

  function showError (exception) {
    const box = document.getElementById('passkey-error')
    if (box) {
      box.hidden = false
      box.focus()
    }
    if (window.console) {
      console.warn('Passkey not used:', exception && exception.name)
    }
  }

  function readOptions (element) {
    return JSON.parse(element.getAttribute('data-passkey-options'))
  }

  function submitWith (form, credential) {
    form.querySelector('input[name="credential"]').value = JSON.stringify(credential)
    form.submit()
  }

  // Add a passkey (or security key): create a credential, then post the form.
  function onCreate (button) {
    const form = document.getElementById(button.getAttribute('data-passkey-form')) || button.form
    button.addEventListener('click', async function () {
      try {
        const options = JSON.parse(JSON.stringify(readOptions(button).creation_options))
        const passwordless = form.querySelector('input[name="passwordless"]')
        const selection = options.publicKey.authenticatorSelection
        if (passwordless) {
          selection.residentKey = passwordless.checked ? 'required' : 'discouraged'
          selection.requireResidentKey = passwordless.checked
          if (passwordless.checked) {
            selection.userVerification = 'required'
          }
        }
        submitWith(form, await webauthnJSON.create(options))
      } catch (e) {
        showError(e)
      }
    })
  }

  // Second factor or re-authentication: the request options are on the button.
  function onAuthenticate (button) {
    const form = document.getElementById(button.getAttribute('data-passkey-form')) || button.form
    button.addEventListener('click', async function (event) {
      event.preventDefault()
      try {
        submitWith(form, await webauthnJSON.get(readOptions(button).request_options))
      } catch (e) {
        showError(e)
      }
    })
  }

  // Sign in without a password: the form's own URL answers with the request options.
  function onLogin (form) {
    const button = document.getElementById(form.getAttribute('data-passkey-login-button'))
    if (!button) {
      return
    }
    button.addEventListener('click', async function (event) {
      event.preventDefault()
      try {
        const response = await fetch(form.action, { headers: { Accept: 'application/json' } })
        if (!response.ok) {
          throw new Error('No passkey options')
        }
        const data = await response.json()
        submitWith(form, await webauthnJSON.get(data.request_options))
      } catch (e) {
        showError(e)
      }
    })
  }

  function start () {
    document.querySelectorAll('[data-passkey="create"]').forEach(onCreate)
    document.querySelectorAll('[data-passkey="authenticate"]').forEach(onAuthenticate)
    document.querySelectorAll('form[data-passkey-login-button]').forEach(onLogin)
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start)
  } else {
    start()
  }
})()
