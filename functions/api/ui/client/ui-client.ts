/**
 * The UI's progressive enhancement, bundled by esbuild into ui-client-bundle.ts (build-ui-client.ts) and served as
 * /ui/assets/ui-<hash>.js. Every page works without it; with it:
 * - diffs: "hide trivial changes" applies at once (no reload), `n`/`p` (or `j`/`k`) move between sections, and the
 *   section navigation marks the section being read;
 * - the subscribe form shows only the chosen delivery's fields and, given an API token, sends POST /subscriptions.
 *
 * Each enhancement walks its elements once; nothing here re-renders the diff.
 */
import { subscriptionRequestFrom } from '../subscription-form.js';

const TOKEN_KEY = 'redline.apiToken';

function setParameter(href: string, name: string, value: string | undefined): string {
  const url = new URL(href, location.href);
  if (value === undefined) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return url.pathname + url.search + url.hash;
}

function enhanceDiff(): void {
  const toolbar = document.querySelector<HTMLFormElement>('[data-diff-toolbar]');
  if (!toolbar) return;
  const sections = Array.from(document.querySelectorAll<HTMLElement>('.diff-section'));
  const navItems = new Map<string, HTMLElement>();
  for (const item of document.querySelectorAll<HTMLElement>('[data-section-nav] li[data-for]')) navItems.set(item.dataset.for ?? '', item);
  const count = document.querySelector<HTMLElement>('[data-visible-count]');
  const allHidden = document.querySelector<HTMLElement>('[data-all-hidden]');
  const apply = toolbar.querySelector<HTMLElement>('[data-apply]');
  const hint = toolbar.querySelector<HTMLElement>('[data-keys-hint]');
  if (apply) apply.hidden = true;
  if (hint) hint.hidden = false;

  const trivialBox = toolbar.querySelector<HTMLInputElement>('[data-toggle-trivial]');
  trivialBox?.addEventListener('change', () => {
    const hide = trivialBox.checked;
    let visible = 0;
    for (const section of sections) {
      if (section.dataset.trivial) {
        section.hidden = hide;
        const item = navItems.get(section.id);
        if (item) item.hidden = hide;
      }
      if (!section.hidden) visible++;
    }
    if (count) count.textContent = `(${visible})`;
    if (allHidden) allHidden.hidden = !(sections.length > 0 && visible === 0);
    const value = hide ? 'true' : undefined;
    history.replaceState(history.state, '', setParameter(location.href, 'hideTrivial', value));
    for (const link of toolbar.querySelectorAll<HTMLAnchorElement>('a[data-view]'))
      link.setAttribute('href', setParameter(link.href, 'hideTrivial', value));
  });
  for (const box of toolbar.querySelectorAll<HTMLInputElement>('[data-autosubmit]')) box.addEventListener('change', () => toolbar.requestSubmit());

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const direction = event.key === 'n' || event.key === 'j' ? 1 : event.key === 'p' || event.key === 'k' ? -1 : 0;
    if (direction === 0) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, select, textarea, button, [contenteditable]')) return;
    const visible = sections.filter((section) => !section.hidden);
    if (visible.length === 0) return;
    // From the section that has the focus (the last one moved to); otherwise from the viewport: sections are in
    // document order, the next one starts below the top of the viewport, the previous one above it.
    const focused = document.activeElement;
    const at = focused ? visible.findIndex((section) => section.contains(focused)) : -1;
    let index = -1;
    if (at >= 0) index = at + direction;
    else if (direction > 0) index = visible.findIndex((section) => section.getBoundingClientRect().top > 20);
    else
      for (let candidate = visible.length - 1; candidate >= 0 && index === -1; candidate--)
        if (visible[candidate]!.getBoundingClientRect().top < -4) index = candidate;
    const section = visible[index];
    if (!section) return;
    event.preventDefault();
    section.scrollIntoView({ block: 'start' });
    section.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
    history.replaceState(history.state, '', `#${section.id}`);
  });

  if ('IntersectionObserver' in window && navItems.size > 0) {
    const inView = new Set<string>();
    let current: HTMLAnchorElement | null = null;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) inView.add(entry.target.id);
          else inView.delete(entry.target.id);
        }
        const first = sections.find((section) => inView.has(section.id));
        const link = first ? (navItems.get(first.id)?.querySelector('a') ?? null) : null;
        if (link === current) return;
        current?.removeAttribute('aria-current');
        link?.setAttribute('aria-current', 'location');
        current = link;
      },
      { rootMargin: '0px 0px -60% 0px' },
    );
    for (const section of sections) observer.observe(section);
  }
}

function showResult(region: HTMLElement, kind: 'success' | 'error', lines: string[], secret?: string): void {
  region.replaceChildren();
  const box = document.createElement('div');
  box.className = `notice ${kind}`;
  for (const line of lines) {
    const paragraph = document.createElement('p');
    paragraph.textContent = line;
    box.append(paragraph);
  }
  if (secret) {
    const label = document.createElement('p');
    label.textContent = 'Webhook signing secret (shown once: keep it to verify the webhook-signature header):';
    const code = document.createElement('pre');
    code.textContent = secret;
    box.append(label, code);
  }
  region.append(box);
}

function enhanceSubscribe(): void {
  const form = document.querySelector<HTMLFormElement>('[data-subscribe-form]');
  if (!form) return;
  const groups = Array.from(form.querySelectorAll<HTMLElement>('[data-delivery]'));
  const syncDelivery = () => {
    const type = form.querySelector<HTMLInputElement>('input[name=deliveryType]:checked')?.value ?? 'webhook';
    for (const group of groups) group.hidden = group.dataset.delivery !== type;
  };
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[name=deliveryType]')) radio.addEventListener('change', syncDelivery);
  syncDelivery();

  if (form.dataset.tokenAccepted !== 'true') return;
  const tokenInput = form.querySelector<HTMLInputElement>('#api-token');
  const remember = form.querySelector<HTMLInputElement>('#remember-token');
  const secretInput = form.querySelector<HTMLInputElement>('#webhook-secret');
  const region = form.querySelector<HTMLElement>('[data-subscribe-result]');
  const submit = form.querySelector<HTMLButtonElement>('[data-subscribe-submit]');
  const tokenHint = form.querySelector<HTMLElement>('#api-token-hint');
  if (!tokenInput || !region) return;
  if (tokenHint)
    tokenHint.textContent = 'Sent only to this server, in the Authorization header. Left empty, the form shows the request to send instead.';
  const stored = sessionStorage.getItem(TOKEN_KEY);
  if (stored) {
    tokenInput.value = stored;
    if (remember) remember.checked = true;
  }

  form.addEventListener('submit', (event) => {
    const token = tokenInput.value.trim();
    if (!token) return; // the plain GET: a preview of the request
    event.preventDefault();
    const fields = new FormData(form);
    if (secretInput?.value) fields.set('webhookSecret', secretInput.value);
    const { body, errors } = subscriptionRequestFrom(fields);
    if (!body) {
      showResult(region, 'error', errors);
      return;
    }
    if (remember?.checked) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    if (submit) submit.disabled = true;
    showResult(region, 'success', ['Sending…']);
    fetch(form.dataset.endpoint ?? '/subscriptions', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
    })
      .then(async (response) => {
        const payload = (await response.json().catch(() => ({}))) as {
          subscription?: { id?: string };
          webhookSecret?: string;
          detail?: string;
        };
        if (response.status === 201 && payload.subscription?.id) {
          showResult(region, 'success', [`Subscribed: subscription ${payload.subscription.id}.`], payload.webhookSecret);
          return;
        }
        const message = payload.detail ?? `HTTP ${response.status}`;
        const advice =
          response.status === 401 ? ' Check the token: locally it is api.token in .redline/runtime.json, written by npm start / npm run dev.' : '';
        showResult(region, 'error', [`Not subscribed: ${message}.${advice}`]);
      })
      .catch((error: unknown) => showResult(region, 'error', [`Not subscribed: ${String(error)}`]))
      .finally(() => {
        if (submit) submit.disabled = false;
      });
  });
}

enhanceDiff();
enhanceSubscribe();
