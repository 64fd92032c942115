// @ts-check
// The Rag console: collections, uploads with live progress, chunks, search, streamed answers with
// citations highlighted in their source, and compression shown kept-beside-dropped.
// Everything the service sends is written with textContent: no markup from data.

import { apiKey, call, stream, upload, uploadMany, describeError, ApiError } from "./api.js";

/** @param {string} id @returns {any} */
const $ = (id) => /** @type {any} */ (document.getElementById(id));

/** @param {string} tag @param {Record<string, string>} [attributes] @param {...(Node | string)} children */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

const state = {
  /** @type {string | null} */ collection: null,
  /** @type {any[]} */ lastResults: [],
  /** @type {Map<string, { name: string, text: string }>} cited documents by id */ texts: new Map(),
  /** @type {Map<string, number>} document id → polling timer */ polls: new Map(),
};

/** @param {string} message @param {"ok" | "error" | ""} [kind] */
function status(message, kind = "") {
  const line = $("status");
  line.textContent = message;
  line.className = `status ${kind}`;
}

/** Runs an action of the page, showing its refusal in the status line rather than losing it. @param {() => Promise<void>} action */
async function attempt(action) {
  try {
    await action();
  } catch (e) {
    status(e instanceof ApiError || e instanceof Error ? e.message : String(e), "error");
  }
}

const collectionPath = () => `/v1/collections/${encodeURIComponent(/** @type {string} */ (state.collection))}`;
const number = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });

// ---- API key ----

function setUpKey() {
  $("api-key").value = apiKey.get();
  $("key-form").addEventListener("submit", (/** @type {Event} */ e) => {
    e.preventDefault();
    apiKey.set($("api-key").value.trim());
    attempt(loadCollections);
  });
  $("forget-key").addEventListener("click", () => {
    apiKey.set("");
    $("api-key").value = "";
    status("The key is forgotten.");
  });
}

// ---- Collections ----

async function loadCollections() {
  const { collections } = await call("/v1/collections");
  const list = $("collection-list");
  list.replaceChildren(...collections.map((/** @type {string} */ name) =>
    el("li", {}, Object.assign(el("button", { type: "button", "data-collection": name }, name), {
      onclick: () => attempt(() => openCollection(name)),
    }))));
  $("no-collections").hidden = collections.length > 0;
  markCurrent();
  status(apiKey.get() ? "Key accepted." : "Connected.", "ok");
  if (!state.collection && collections.length > 0) await openCollection(collections[0]);
}

function markCurrent() {
  for (const button of $("collection-list").querySelectorAll("button"))
    button.setAttribute("aria-current", String(button.dataset.collection === state.collection));
}

/** @param {string} name */
async function openCollection(name) {
  state.collection = name;
  state.texts.clear();
  $("current-collection").textContent = `Collection: ${name}`;
  markCurrent();
  $("document-view").hidden = true;
  await loadDocuments();
}

function requireCollection() {
  if (state.collection) return true;
  status("Choose or name a collection first.", "error");
  return false;
}

// ---- Documents ----

/** @param {any} document */
function documentRow(document) {
  const id = `doc-${document.id}`;
  let row = $(id);
  if (!row) {
    row = el("tr", { id });
    $("documents").tBodies[0].prepend(row);
  }
  const name = document.title || document.file_name || document.id;
  const open = Object.assign(el("button", { type: "button" }, name), { onclick: () => attempt(() => showDocument(document.id)) });
  const stateCell = el("td", { class: `state-${document.state}` }, document.state + (document.duplicate ? " (already here)" : ""));
  if (document.error) stateCell.append(el("span", { class: "reason" }, document.error));
  const bar = el("progress", { max: "1", value: String(document.progress ?? 0), "aria-label": `${name} progress` });
  row.replaceChildren(el("td", {}, open), stateCell, el("td", {}, bar), el("td", {}, String(document.chunk_count ?? 0)));
  row.dataset.state = document.state;
  return row;
}

async function loadDocuments() {
  for (const timer of state.polls.values()) clearTimeout(timer);
  state.polls.clear();
  $("documents").tBodies[0].replaceChildren();
  let page;
  try {
    page = await call(`${collectionPath()}/documents?limit=1000`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    status(`${state.collection} is new: upload a document to create it.`);
    return;
  }
  for (const document of page.documents) {
    documentRow(document);
    if (document.state !== "ready" && document.state !== "failed") poll(document);
  }
}

/** Follows a document's ingestion until it is ready or failed. @param {any} document */
function poll(document) {
  const collection = state.collection;
  const tick = () => attempt(async () => {
    if (state.collection !== collection) return;
    const current = await call(document.status_url);
    documentRow(current);
    if (current.state === "ready" || current.state === "failed") {
      state.polls.delete(document.id);
      status(current.state === "ready" ? `${current.title || current.file_name} is ready.` : `${current.title || current.file_name} failed: ${current.error}`,
        current.state === "ready" ? "ok" : "error");
      await loadCollections();
    } else {
      state.polls.set(document.id, window.setTimeout(tick, 700));
    }
  });
  state.polls.set(document.id, window.setTimeout(tick, 400));
}

/** A row for an upload on its way: the bytes sent, then its outcome. @param {string} name */
function pendingRow(name) {
  const row = el("tr", { id: `upload-${crypto.randomUUID()}` });
  const bar = /** @type {HTMLProgressElement} */ (el("progress", { max: "1", value: "0", "aria-label": `${name} upload` }));
  const stateCell = el("td", {}, "uploading");
  row.append(el("td", {}, name), stateCell, el("td", {}, bar), el("td", {}, "0"));
  $("documents").tBodies[0].prepend(row);
  return {
    /** @param {number} f */
    progress: (f) => { bar.value = f; stateCell.textContent = `uploading ${Math.round(f * 100)}%`; },
    /** @param {string} name @param {string} reason */
    reject: (name, reason) => {
      row.firstChild.textContent = name;
      stateCell.className = "state-rejected";
      stateCell.replaceChildren("rejected", el("span", { class: "reason" }, reason));
      row.dataset.state = "rejected";
    },
    remove: () => row.remove(),
  };
}

/** @param {any} document */
function follow(document) {
  documentRow(document);
  if (document.state !== "ready" && document.state !== "failed") poll(document);
}

/** One file: its own upload. Many: one batch request, one entry per file. @param {FileList | File[]} files */
async function uploadFiles(files) {
  if (!requireCollection()) return;
  const collection = /** @type {string} */ (state.collection);
  const all = [...files];
  if (all.length === 1) {
    const pending = pendingRow(all[0].name);
    try {
      const document = await upload(collection, all[0], pending.progress);
      pending.remove();
      follow(document);
    } catch (e) {
      pending.reject(all[0].name, e instanceof Error ? e.message : String(e));
    }
    return;
  }

  const pending = pendingRow(`${all.length} files`);
  let batch;
  try {
    batch = await uploadMany(collection, all, pending.progress);
  } catch (e) {
    pending.reject(`${all.length} files`, e instanceof Error ? e.message : String(e));
    return;
  }
  pending.remove();
  for (const entry of batch.documents) {
    if (entry.error) {
      pendingRow(entry.file_name).reject(entry.file_name, describeError(entry.error));
    } else {
      follow({ ...(await call(entry.status_url)), duplicate: entry.duplicate });
    }
  }
  status(`${batch.accepted} new, ${batch.duplicates} already here, ${batch.rejected} refused.`, batch.rejected ? "error" : "ok");
}

function setUpUploads() {
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (/** @type {DragEvent} */ e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (/** @type {DragEvent} */ e) => {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer?.files.length) attempt(() => uploadFiles(e.dataTransfer.files));
  });
  $("file-input").addEventListener("change", () => {
    const input = $("file-input");
    const files = [...input.files];
    input.value = "";
    attempt(() => uploadFiles(files));
  });
}

/** @param {string} id */
async function showDocument(id) {
  const [document, chunks] = await Promise.all([
    call(`${collectionPath()}/documents/${encodeURIComponent(id)}`),
    call(`${collectionPath()}/documents/${encodeURIComponent(id)}/chunks`),
  ]);
  $("document-title").textContent = document.title || document.file_name || document.id;
  $("document-meta").textContent =
    `${document.kind}, ${number.format(document.size_bytes / 1024)} KB, ${document.state}, ${chunks.length} chunks` +
    (document.tags.length ? `, tags: ${document.tags.join(", ")}` : "");
  $("chunks").replaceChildren(...chunks.map((/** @type {any} */ c) => el("li", {},
    el("div", { class: "chunk-meta" }, `chunk ${c.index} · characters ${c.start}–${c.end} · ${c.token_count} tokens${c.section ? ` · ${c.section}` : ""}`),
    el("p", { class: "chunk-text" }, c.text))));
  $("document-view").hidden = false;
  $("document-title").scrollIntoView({ block: "nearest" });
}

// ---- Search ----

function setUpSearch() {
  $("search-form").addEventListener("submit", (/** @type {Event} */ e) => {
    e.preventDefault();
    if (!requireCollection()) return;
    attempt(async () => {
      const body = { query: $("search-query").value, top_k: Number($("search-top-k").value) || 10 };
      if ($("search-mode").value) body.mode = $("search-mode").value;
      const found = await call(`${collectionPath()}/search`, { body });
      state.lastResults = found.results;
      $("search-figures").textContent = `${found.results.length} results, ${found.mode} search, ${number.format(found.elapsed_ms)} ms`;
      $("search-results").replaceChildren(...found.results.map((/** @type {any} */ r) => el("li", {},
        el("div", { class: "result-meta" }, el("span", { class: "score" }, `score ${r.score.toFixed(4)}`),
          ` · ${r.document_id} · characters ${r.start}–${r.end}${r.section ? ` · ${r.section}` : ""}`),
        el("p", { class: "result-text" }, r.text))));
      status("");
    });
  });
}

// ---- Ask ----

/** A cited document's name and text, fetched once. @param {string} documentId @returns {Promise<{ name: string, text: string }>} */
async function citedDocument(documentId) {
  let known = state.texts.get(documentId);
  if (known === undefined) {
    const path = `${collectionPath()}/documents/${encodeURIComponent(documentId)}`;
    const [document, text] = await Promise.all([call(path), call(`${path}/content`)]);
    known = { name: document.title || document.file_name || document.id, text };
    state.texts.set(documentId, known);
  }
  return known;
}

/** Shows the citation's document with its span marked, scrolled into view. @param {any} citation */
async function showCitation(citation) {
  const { name, text } = await citedDocument(citation.document_id);
  const mark = el("mark", { class: "cited", id: "cited", tabindex: "-1" }, text.slice(citation.start, citation.end));
  $("source-text").replaceChildren(text.slice(0, citation.start), mark, text.slice(citation.end));
  $("source-name").textContent = `[${citation.number}] ${name}, characters ${citation.start}–${citation.end}`;
  mark.scrollIntoView({ block: "center" });
  mark.focus({ preventScroll: true });
}

/** @param {any} citation */
const citeButton = (citation) => Object.assign(
  el("button", { type: "button", class: "cite", "aria-label": `Show source ${citation.number}` }, `[${citation.number}]`),
  { onclick: () => attempt(() => showCitation(citation)) });

/** The answer with each [n] made a button to its source. @param {string} text @param {any[]} citations */
function renderAnswer(text, citations) {
  const byNumber = new Map(citations.map((c) => [c.number, c]));
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d+)\]/g)) {
    const citation = byNumber.get(Number(match[1]));
    if (!citation) continue;
    parts.push(text.slice(last, match.index), citeButton(citation));
    last = /** @type {number} */ (match.index) + match[0].length;
  }
  parts.push(text.slice(last));
  $("answer").replaceChildren(...parts);
}

function setUpAsk() {
  $("ask-form").addEventListener("submit", (/** @type {Event} */ e) => {
    e.preventDefault();
    if (!requireCollection()) return;
    const submit = $("ask-form").querySelector("button[type=submit]");
    attempt(async () => {
      submit.disabled = true;
      $("answer").setAttribute("aria-busy", "true");
      $("answer").textContent = "";
      $("citations").replaceChildren();
      $("ask-figures").textContent = "";
      try {
        const body = { question: $("ask-question").value, budget_tokens: Number($("ask-budget").value) || 256, stream: true };
        if ($("ask-method").value) body.compression = { method: $("ask-method").value };
        let text = "";
        await stream(`${collectionPath()}/ask`, body, (event, data) => {
          if (event === "token") {
            text += data.text;
            $("answer").textContent = text;
          } else if (event === "done") {
            renderAnswer(data.answer, data.citations);
            $("citations").replaceChildren(...data.citations.map((/** @type {any} */ c) =>
              el("li", {}, citeButton(c), " ", el("q", {}, c.quote), el("span", { class: "result-meta" }, ` score ${c.score}`))));
            const f = data.figures;
            $("ask-figures").textContent =
              `${data.mode} answer · ${f.tokens_retrieved} tokens retrieved → ${f.tokens_returned} used (${number.format(f.ratio)}x)` +
              (f.compression ? ` · ${f.compression.method}, budget ${f.compression.budget_met ? "met" : "not met"}, ${f.compression.cache_hits} cache hits` : "") +
              ` · ${number.format(f.timings_ms.total)} ms`;
          } else if (event === "error") {
            throw new Error(`${data.title}: ${data.detail}`);
          }
        });
        status("");
      } finally {
        submit.disabled = false;
        $("answer").setAttribute("aria-busy", "false");
      }
    });
  });
}

// ---- Compress ----

/** The compression methods, from the service's own OpenAPI document. */
async function loadMethods() {
  const openApi = await call("/openapi/v1.json");
  /** @type {string[]} */
  const methods = openApi.components?.schemas?.CompressionMethod?.enum ?? ["auto"];
  const ask = $("ask-method");
  ask.append(...methods.filter((m) => m !== "none").map((m) => el("option", { value: m }, m)));
  $("compress-method").append(...methods.map((m) => el("option", { value: m }, m)));
}

/** The original text with the kept spans marked and the rest shown dropped. @param {string[]} contexts @param {any[]} kept */
function renderKept(contexts, kept) {
  const nodes = [];
  contexts.forEach((text, i) => {
    if (i > 0) nodes.push("\n\n");
    let at = 0;
    for (const span of kept.filter((s) => s.context === i).sort((a, b) => a.start - b.start)) {
      if (span.start > at) nodes.push(el("span", { class: "dropped" }, text.slice(at, span.start)));
      nodes.push(el("mark", { class: "kept" }, text.slice(Math.max(at, span.start), span.end)));
      at = Math.max(at, span.end);
    }
    if (at < text.length) nodes.push(el("span", { class: "dropped" }, text.slice(at)));
  });
  $("compress-original").replaceChildren(...nodes);
}

function setUpCompress() {
  const rate = $("compress-rate");
  rate.addEventListener("input", () => { $("compress-rate-value").textContent = `${Math.round(rate.value * 100)}%`; });
  $("use-results").addEventListener("click", () => {
    if (state.lastResults.length === 0) {
      status("Search first: the results become the text to compress.", "error");
      return;
    }
    $("compress-context").value = state.lastResults.map((r) => r.text).join("\n\n---\n\n");
    if (!$("compress-question").value) $("compress-question").value = $("search-query").value;
  });
  $("compress-form").addEventListener("submit", (/** @type {Event} */ e) => {
    e.preventDefault();
    attempt(async () => {
      const contexts = $("compress-context").value.split(/\n\n---\n\n/).filter((/** @type {string} */ t) => t.trim());
      const body = { context: contexts, rate: Number(rate.value), method: $("compress-method").value || "auto" };
      if ($("compress-question").value) body.question = $("compress-question").value;
      const result = await call("/v1/compress", { body });
      renderKept(contexts, result.kept_spans);
      $("compress-output").textContent = result.compressed_prompt;
      $("compress-figures").textContent =
        `${result.method}: ${result.origin_tokens} → ${result.compressed_tokens} tokens (${number.format(result.ratio)}x), ` +
        `target ${result.target_tokens}, budget ${result.budget_met ? "met" : "not met"} · ` +
        `cache ${result.cache_hits} hits, ${result.cache_misses} misses · ${number.format(result.elapsed_ms)} ms` +
        (result.note ? ` · ${result.note}` : "");
      status("");
    });
  });
}

// ---- Tabs (arrow keys move between them, as the ARIA tabs pattern has it) ----

function setUpTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  /** @param {Element} tab */
  const select = (tab) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.setAttribute("tabindex", selected ? "0" : "-1");
      $(/** @type {string} */ (other.getAttribute("aria-controls"))).hidden = !selected;
    }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => {
      const next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : e.key === "ArrowLeft" ? tabs[(i + tabs.length - 1) % tabs.length] : null;
      if (next) {
        select(next);
        /** @type {HTMLElement} */ (next).focus();
      }
    });
  });
}

function setUpCollections() {
  $("new-collection").addEventListener("submit", (/** @type {Event} */ e) => {
    e.preventDefault();
    attempt(() => openCollection($("new-collection-name").value));
  });
}

setUpKey();
setUpTabs();
setUpCollections();
setUpUploads();
setUpSearch();
setUpAsk();
setUpCompress();
attempt(loadMethods);
attempt(loadCollections);
