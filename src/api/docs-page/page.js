// The API reference: Swagger UI renders /openapi.json, the document the routes' own schemas build.
// A file, not an inline script: the page's CSP allows scripts from this origin only.
window.SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#api-reference',
  deepLinking: true,
  // Requests tried from the page carry the key typed into "Authorize", or the dashboard's session cookie.
  withCredentials: true,
  // No call to a validator service elsewhere: nothing on this page leaves this origin.
  validatorUrl: null,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
});
