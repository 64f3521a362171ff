// Calls to khabar serve's API.  A token (khabar serve --token-file) is asked
// for once, when the server answers 401, and kept for the browser session.

const TOKEN_KEY = 'khabar-token';

export class ApiError extends Error {
  constructor(status, error) {
    super(error && error.message ? error.message : `HTTP ${status}`);
    this.status = status;
    this.code = error && error.code ? error.code : 'http_' + status;
    this.offset = error ? error.offset : undefined;
  }
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export async function post(path, body, type) {
  const headers = {'Content-Type': type};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(path, {method: 'POST', headers, body});
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch (e) { /* not JSON: reported below */ }
  if (!res.ok) throw new ApiError(res.status, json && json.error);
  if (!json) throw new ApiError(res.status, {code: 'bad_response', message: 'الخادم أجاب بما ليس JSON'});
  return json;
}

export async function get(path) {
  const res = await fetch(path);
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch (e) { /* not JSON: reported below */ }
  if (!res.ok) throw new ApiError(res.status, json && json.error);
  return json;
}
