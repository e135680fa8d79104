import { css, html, LitElement } from 'lit';
import type { EngineStatus } from '../core/api.ts';
import { formatBytes, formatMs } from './format.ts';
import { baseStyles } from './shared-styles.ts';

const STATE_TEXT: Record<EngineStatus['state'], string> = {
  loading: 'Starting',
  personalising: 'Showing popular movies',
  ready: 'Ready',
  degraded: 'Working, with a limitation',
  error: 'Stopped by an error',
};

/** A count with thousands separators, the same in every browser ("100,836"). */
const count = (n: number) => n.toLocaleString('en-US');

/** The catalog's size and rating scale in words: "9,742 movies and 100,836 ratings by 610 users · half stars (0.5–5)". */
function catalogText(s: EngineStatus): string {
  if (!s.counts) return '—';
  const c = s.counts;
  const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;
  const size = `${plural(c.movies, 'movie', 'movies')} and ${plural(c.ratings, 'rating', 'ratings')} by ${plural(c.users, 'user', 'users')}`;
  const stars = s.ratingStep === 0.5 ? ' · half stars (0.5–5)' : s.ratingStep === 1 ? ' · whole stars (1–5)' : '';
  return size + stars;
}

/**
 * `<cinesage-status-panel>`: what the model is doing, in plain words — backend and why, artifact versions,
 * the catalog's size (movies, ratings, users) and star scale, timings of the last full pass, update and
 * scoring, where the embeddings came from, offline readiness and storage use.
 *
 * @csspart panel - The definition list (absent while `status` is null).
 * @cssprop --cinesage-font - Font family (default `system-ui, …`).
 * @cssprop --cinesage-font-size - Base font size (default `1rem`).
 * @cssprop --cinesage-text - Text colour (default `#1c1b22`).
 * @cssprop --cinesage-muted - Labels and secondary text (default `#5d5a6b`).
 */
export class StatusPanel extends LitElement {
  static override properties = {
    status: { attribute: false },
    offlineReady: { attribute: false },
  };
  static override styles = [
    baseStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2rem 0.75rem;
        margin: 0;
        font-size: 0.9em;
      }
      dt {
        color: var(--cinesage-muted, #5d5a6b);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** The engine's status; null shows "Starting…". */
  declare status: EngineStatus | null;
  /** Whether the service worker has cached everything for offline use; null while unknown. */
  declare offlineReady: boolean | null;

  constructor() {
    super();
    this.status = null;
    this.offlineReady = null;
  }

  override render() {
    const s = this.status;
    if (!s) return html`<h2>Status</h2><p class="muted">Starting…</p>`;
    const t = s.timings;
    return html`<h2>Status</h2>
      <dl part="panel">
        <dt>State</dt>
        <dd data-field="state">${STATE_TEXT[s.state]}${s.reason ? ` — ${s.reason}` : ''}</dd>
        <dt>Runs on</dt>
        <dd data-field="backend">
          ${s.backend === 'webgpu' ? 'WebGPU (graphics processor)' : s.backend === 'wasm' ? 'WebAssembly (processor)' : '—'}
          ${s.backendReason ? html`<span class="muted">(${s.backendReason})</span>` : null}
          ${
            s.backend && s.fullForwardPasses === 0
              ? html`<br /><span class="muted">Not downloaded: nothing has needed a full pass on this device yet.</span>`
              : null
          }
        </dd>
        <dt>Model</dt>
        <dd>${s.modelVariant ?? '—'} weights · ${s.dataset ?? '—'}</dd>
        <dt>Artifacts</dt>
        <dd>${s.artifacts.map((a) => html`${a.name} ${formatBytes(a.size)} <code>${a.sha256.slice(0, 10)}</code><br />`)}</dd>
        <dt>Catalog</dt>
        <dd data-field="catalog">${catalogText(s)}</dd>
        <dt>Embeddings</dt>
        <dd data-field="embeddings">
          ${
            s.embeddingSource === 'indexeddb'
              ? 'loaded from this device (no forward pass needed)'
              : s.embeddingSource === 'shipped'
                ? 'shipped with the site, verified against the model (no forward pass needed)'
                : s.embeddingSource === 'codes'
                  ? 'compact codes for now (lists close to exact); the exact embeddings are still downloading'
                  : s.embeddingSource === 'computed'
                    ? 'computed by a full forward pass'
                    : '—'
          }
          · ${s.fullForwardPasses} full pass${s.fullForwardPasses === 1 ? '' : 'es'} so far
        </dd>
        <dt>Last full pass</dt>
        <dd>${formatMs(t.lastFullForwardMs)}</dd>
        <dt>Last update</dt>
        <dd data-field="last-update">${formatMs(t.lastUpdateMs)} <span class="muted">(your embedding after a rating)</span></dd>
        <dt>Last scoring</dt>
        <dd>${formatMs(t.lastScoringMs)}</dd>
        <dt>Start-up</dt>
        <dd data-field="startup">
          catalog ${formatMs(t.catalogMs)} · personal recommendations ${formatMs(t.initMs)}
        </dd>
        <dt>Offline</dt>
        <dd data-field="offline">
          ${this.offlineReady == null ? '—' : this.offlineReady ? 'ready: works without a network' : 'not yet cached'}
        </dd>
        <dt>Storage</dt>
        <dd data-field="storage">
          ${s.storage.mode === 'indexeddb' ? 'saved on this device' : html`<strong>in memory only</strong>`}
          ${s.storage.usageBytes != null ? ` · ${formatBytes(s.storage.usageBytes)} used` : ''}
          ${s.storage.reason ? html`<br /><span class="muted">${s.storage.reason}</span>` : null}
        </dd>
      </dl>`;
  }
}

if (!customElements.get('cinesage-status-panel')) customElements.define('cinesage-status-panel', StatusPanel);

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-status-panel': StatusPanel;
  }
}
