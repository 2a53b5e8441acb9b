// nhsuk-frontend only styles its components when the body carries these classes.
// Kept in its own file because the server's CSP allows no inline scripts.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
