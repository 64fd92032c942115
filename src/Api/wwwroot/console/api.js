// @ts-check
// The service's HTTP API as the console uses it: the key from session storage, problem details as errors.

const KEY = "rag.apiKey";

export const apiKey = {
  /** @returns {string} */
  get: () => sessionStorage.getItem(KEY) ?? "",
  /** @param {string} key */
  set: (key) => key ? sessionStorage.setItem(KEY, key) : sessionStorage.removeItem(KEY),
};

/** An answer the service refused, with its status and the words of its problem details. */
export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @param {HeadersInit} [extra] */
function headers(extra) {
  const all = new Headers(extra);
  const key = apiKey.get();
  if (key) all.set("Authorization", `Bearer ${key}`);
  return all;
}

/** The message of a refusal: problem details' title, detail and per-field errors, or OpenAI's error. @param {Response} response */
async function describe(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON */ }
  if (response.status === 401) return "The service wants an API key: enter one above.";
  if (!body) return `The service answered ${response.status} ${response.statusText}.`;
  const parts = [body.title, body.detail, body.error?.message].filter(Boolean);
  for (const [field, messages] of Object.entries(body.errors ?? {}))
    parts.push(`${field}: ${(/** @type {string[]} */ (messages)).join(" ")}`);
  return parts.join(" ") || `The service answered ${response.status}.`;
}

/**
 * Calls the API and returns the parsed JSON; a refusal throws an ApiError with the service's words.
 * @param {string} path @param {{ method?: string, body?: unknown }} [options]
 */
export async function call(path, options = {}) {
  const init = { method: options.method ?? (options.body === undefined ? "GET" : "POST"), headers: headers() };
  if (options.body !== undefined) {
    init.headers.set("Content-Type", "application/json");
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw new ApiError(response.status, await describe(response));
  const type = response.headers.get("Content-Type") ?? "";
  return type.includes("json") ? response.json() : response.text();
}

/**
 * Posts a multipart form, reporting the bytes sent (fetch cannot), and resolves with the JSON answer.
 * @param {string} path @param {FormData} form @param {(fraction: number) => void} onProgress
 * @returns {Promise<any>}
 */
function sendForm(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", path);
    const key = apiKey.get();
    if (key) request.setRequestHeader("Authorization", `Bearer ${key}`);
    request.responseType = "text";
    request.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    request.onerror = () => reject(new ApiError(0, "The upload did not reach the service."));
    request.onload = async () => {
      const response = new Response(request.responseText || null, {
        status: request.status,
        headers: { "Content-Type": request.getResponseHeader("Content-Type") ?? "" },
      });
      if (request.status >= 200 && request.status < 300) resolve(await response.json());
      else reject(new ApiError(request.status, await describe(response)));
    };
    request.send(form);
  });
}

/** Uploads one file; resolves with the document. @param {string} collection @param {File} file @param {(fraction: number) => void} onProgress */
export function upload(collection, file, onProgress) {
  const form = new FormData();
  form.append("file", file, file.name);
  return sendForm(`/v1/collections/${encodeURIComponent(collection)}/documents`, form, onProgress);
}

/**
 * Uploads many files in one batch request; resolves with one entry per file, in order: the document, or the
 * reason it was refused. @param {string} collection @param {File[]} files @param {(fraction: number) => void} onProgress
 */
export function uploadMany(collection, files, onProgress) {
  const form = new FormData();
  for (const file of files) form.append("file", file, file.name);
  return sendForm(`/v1/collections/${encodeURIComponent(collection)}/documents:batch`, form, onProgress);
}

/** A batch entry's refusal in words. @param {{ title?: string, detail?: string, errors?: Record<string, string[]> }} error */
export function describeError(error) {
  const parts = [error.title, error.detail].filter(Boolean);
  for (const [field, messages] of Object.entries(error.errors ?? {})) parts.push(`${field}: ${messages.join(" ")}`);
  return parts.join(" ");
}

/**
 * Posts a request that answers with server-sent events and hands each event to onEvent as it arrives.
 * @param {string} path @param {unknown} body @param {(event: string, data: any) => void} onEvent
 */
export async function stream(path, body, onEvent) {
  const response = await fetch(path, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
    body: JSON.stringify(body),
  });
  if (!response.ok || !response.body) throw new ApiError(response.status, await describe(response));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replaceAll("\r\n", "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length > 0) onEvent(event, JSON.parse(data.join("\n")));
    }
  }
}
