import { html, type SafeHtml } from './html.js';
import { cliCommand, curlCommand, SUBSCRIPTION_KINDS, type FormFields, type SubscriptionFormResult } from './subscription-form.js';
import type { UiLinks } from './ui-links.js';

/**
 * The subscribe form. POST /subscriptions needs credentials: an IAM-signed request in AWS, or (where the server is
 * given a token: the local runtime, `redline serve` with REDLINE_API_TOKEN) `Authorization: Bearer <token>`.
 *
 * - With JavaScript and a token, the script sends the POST itself and shows the result (and a webhook secret, once).
 * - Otherwise the form is a GET to this page, which answers with the request to send: the JSON body, a curl command
 *   and the equivalent `redline subscribe` command.
 *
 * The token and the webhook secret fields have no `name`: a plain form submission never puts them in a URL. The
 * token is never written into a page either (every API response allows any origin to read it, CORS `*`).
 */
export interface SubscribeModel {
  links: UiLinks;
  /** Absolute URL of POST /subscriptions. */
  endpoint: string;
  /** True when this server accepts a bearer token on write routes. */
  tokenAccepted: boolean;
  /** The gateway authorizes writes with IAM (in AWS); otherwise a server without a token takes no subscriptions. */
  iamAuthorized?: boolean;
  fields: FormFields;
  /** The outline of the chosen series' newest edition: section prefixes offered by heading. */
  sections?: { key: string; heading: string }[];
  /** Set when the form was submitted without the script: what would be sent. */
  preview?: SubscriptionFormResult;
}

function value(fields: FormFields, name: string): string {
  const raw = fields.get(name);
  return typeof raw === 'string' ? raw : '';
}

export function subscribeView(model: SubscribeModel): SafeHtml {
  const { fields, links } = model;
  const type = value(fields, 'deliveryType') || 'webhook';
  const kinds = new Set(fields.getAll('kinds').flatMap((kind) => (typeof kind === 'string' ? kind.split(',') : [])));
  const textField = (id: string, name: string, label: string, hint: string, inputType = 'text', extra: SafeHtml = html``) =>
    html`<div class="field"><label for="${id}">${label}</label><input type="${inputType}" id="${id}" name="${name}" value="${value(fields, name)}" aria-describedby="${id}-hint"${extra}><span class="hint" id="${id}-hint">${hint}</span></div>`;
  const deliveryRadio = (option: string, label: string) =>
    html`<label class="check"><input type="radio" name="deliveryType" value="${option}"${type === option ? html` checked` : ''}> ${label}</label>`;

  const auth = model.tokenAccepted
    ? html`<p>Subscribing needs this server's API token (the write routes take <code>Authorization: Bearer &lt;token&gt;</code>).
Run locally by <code>npm start</code> or <code>npm run dev</code>, it is <code>api.token</code> in <code>.redline/runtime.json</code>
(for example <code>jq -r .api.token .redline/runtime.json</code>), written while the runtime runs; for <code>redline serve</code> it is the
<code>REDLINE_API_TOKEN</code> it was started with.</p>
<p>The token stays in this browser and is sent only to this server, with the subscription request. It is never put in a URL or a page.</p>`
    : model.iamAuthorized
      ? html`<p>This server authorizes subscriptions with IAM (requests signed with AWS credentials), which a browser form cannot do.
Fill in the form to get the request, then send it with <code>redline subscribe</code> (it signs with your AWS credentials) or with a
SigV4 client such as awscurl.</p>`
      : html`<p>This server was started without an API token, so it takes no subscriptions over HTTP. Start
<code>redline serve</code> with <code>REDLINE_API_TOKEN</code> set to subscribe from this form, or fill in the form to get the
<code>redline subscribe</code> command, which writes to the store directly.</p>`;

  return html`<h1>Subscribe to changes</h1>
<p class="lead">Get each new revision that matches your filters by webhook, e-mail or SQS queue. To read changes in a feed reader instead,
use the <a href="${links.home()}#feeds">Atom feeds</a>: they need no subscription.</p>
<div class="notice" id="subscribe-auth">${auth}</div>
<form method="get" action="${links.subscribe()}" class="stack" data-subscribe-form data-endpoint="${links.api('/subscriptions')}" data-token-accepted="${model.tokenAccepted ? 'true' : 'false'}">
<input type="hidden" name="preview" value="1">
<fieldset>
<legend>Deliver to</legend>
<div class="links-inline" role="radiogroup" aria-label="Delivery">${deliveryRadio('webhook', 'Webhook')}${deliveryRadio('email', 'E-mail')}${deliveryRadio('sqs', 'SQS queue')}</div>
<div class="grid-form">
<div data-delivery="webhook">${textField('webhook-url', 'webhookUrl', 'Webhook URL', 'HTTPS URL that receives a signed POST per notification', 'url')}</div>
<div data-delivery="webhook" class="field"><label for="webhook-secret">Signing secret (optional)</label><input type="password" id="webhook-secret" autocomplete="off" aria-describedby="webhook-secret-hint"><span class="hint" id="webhook-secret-hint">16 characters or more; left empty, one is generated and shown once</span></div>
<div data-delivery="email">${textField('email', 'email', 'E-mail address', 'In AWS, confirm the first e-mail SNS sends', 'email')}</div>
<div data-delivery="sqs">${textField('queue-arn', 'queueArn', 'SQS queue ARN', 'A standard (not FIFO) queue')}</div>
</div>
</fieldset>
<fieldset>
<legend>Only changes that match (every filter is optional)</legend>
<div class="grid-form">
${textField('filter-series', 'series', 'Series', 'e.g. hrr/kazakhstan; separate several with commas')}
${textField('filter-pages', 'pages', 'Pages', 'page ids, e.g. hrr.kazakhstan.2024')}
${textField('filter-editions', 'editions', 'Editions', 'years, e.g. 2024')}
${
  model.sections && model.sections.length > 0
    ? html`${textField('filter-sections', 'sectionPrefixes', 'Section key prefixes', 'Start typing a heading of the newest edition to pick its section (a section covers its subsections)', 'text', html` list="section-suggestions"`)}<datalist id="section-suggestions">${model.sections.map(
        (section) => html`<option value="${section.key}">${section.heading}</option>`,
      )}</datalist>`
    : textField(
        'filter-sections',
        'sectionPrefixes',
        'Section key prefixes',
        'e.g. respect-for-civil-liberties/ for all of Section 2; choose a series first to pick sections by heading',
      )
}
${textField('filter-terms', 'terms', 'Terms', 'only revisions adding or removing a sentence with one of these; commas between terms')}
${textField('filter-significance', 'minSignificance', 'Minimum significance', '0 to 1; a new edition counts as 1', 'number', html` min="0" max="1" step="0.01"`)}
</div>
<fieldset>
<legend>Kinds of section change (none ticked: all)</legend>
<div class="links-inline">${SUBSCRIPTION_KINDS.map(
    (kind) => html`<label class="check"><input type="checkbox" name="kinds" value="${kind}"${kinds.has(kind) ? html` checked` : ''}> ${kind}</label>`,
  )}</div>
</fieldset>
<label class="check"><input type="checkbox" name="includeTrivial" value="true"${value(fields, 'includeTrivial') === 'true' ? html` checked` : ''}> Include trivial changes (whitespace, punctuation or numbers only)</label>
</fieldset>
${
  model.tokenAccepted
    ? html`<fieldset>
<legend>Authorization</legend>
<div class="grid-form">
<div class="field"><label for="api-token">API token</label><input type="password" id="api-token" autocomplete="off" spellcheck="false" aria-describedby="api-token-hint"><span class="hint" id="api-token-hint">Needs JavaScript; without it, this form shows the request to send instead.</span></div>
<label class="check"><input type="checkbox" id="remember-token"> Remember the token in this tab</label>
</div>
</fieldset>`
    : ''
}
<button type="submit" data-subscribe-submit>${model.tokenAccepted ? 'Subscribe' : 'Show the request'}</button>
<div role="status" aria-live="polite" data-subscribe-result></div>
</form>
${model.preview ? previewSection(model) : ''}`;
}

function previewSection(model: SubscribeModel): SafeHtml {
  const preview = model.preview!;
  if (!preview.body) {
    return html`<section aria-labelledby="preview-heading"><h2 id="preview-heading">Check the form</h2><div class="notice error" role="alert"><ul>${preview.errors.map((error) => html`<li>${error}</li>`)}</ul></div></section>`;
  }
  return html`<section aria-labelledby="preview-heading" id="preview">
<h2 id="preview-heading">The request to send</h2>
<p>${model.tokenAccepted ? 'Nothing was sent (JavaScript is off, or no token was given). Send it yourself with the token:' : 'Send it with credentials:'}</p>
<h3>curl${model.tokenAccepted ? '' : ' (a local server with a token)'}</h3>
<pre><code>${curlCommand(model.endpoint, preview.body)}</code></pre>
<h3>redline CLI</h3>
<pre><code>${cliCommand(preview.body)}</code></pre>
<h3>JSON body of POST /subscriptions</h3>
<pre><code>${JSON.stringify(preview.body, null, 2)}</code></pre>
</section>`;
}
