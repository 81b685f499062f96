// Refreshes the live part of the status page (status, progress, history, rating form) when the
// ticket changes: a light poll of …/state, and the page itself fetched again only on a change.
// The forms below it are left alone, so nothing being typed is lost. Without this script the
// page still works; it just shows what it showed when loaded.
const POLL_MS = 5000;

async function refresh() {
  const live = document.getElementById('live');
  if (!live) return;
  const base = location.pathname.replace(/\/+$/, '');
  const state = await fetch(`${base}/state`, { cache: 'no-store', credentials: 'omit' });
  if (!state.ok) return;
  const { updated } = await state.json();
  if (updated === live.dataset.updated) return;
  const page = await fetch(`${base}${location.search.includes('lang=en') ? '?lang=en' : ''}`, { cache: 'no-store', credentials: 'omit' });
  if (!page.ok) return;
  const fresh = new DOMParser().parseFromString(await page.text(), 'text/html').getElementById('live');
  if (fresh) live.replaceWith(fresh);
}

setInterval(() => refresh().catch(() => {}), POLL_MS);
