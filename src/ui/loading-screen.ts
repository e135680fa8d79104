import { css, html, LitElement } from 'lit';
import type { LoadProgress } from '../core/api.ts';
import { formatBytes } from './format.ts';
import { baseStyles } from './shared-styles.ts';

/**
 * `<cinesage-loading-screen>`: first-visit progress — one bar per downloaded file (bytes loaded / total,
 * or "from this device" when cached) and the current set-up step, or the error that stopped start-up and a
 * button to try again.
 *
 * @fires {CustomEvent<undefined>} cinesage-retry - When the visitor asks to try again after an error; no
 * detail. Bubbles, composed.
 * @csspart progress - Each file's progress bar.
 * @cssprop --cinesage-font - Font family (default `system-ui, …`).
 * @cssprop --cinesage-font-size - Base font size (default `1rem`).
 * @cssprop --cinesage-text - Text colour (default `#1c1b22`).
 * @cssprop --cinesage-muted - Secondary text (default `#5d5a6b`).
 * @cssprop --cinesage-surface - Background of the "Try again" button (default `#fff`).
 * @cssprop --cinesage-accent - "Try again" button text and border (default `#4b3fd1`).
 * @cssprop --cinesage-accent-soft - "Try again" button hover (default `#efedfc`).
 * @cssprop --cinesage-focus - Focus ring colour (default `#4b3fd1`).
 */
export class LoadingScreen extends LitElement {
  static override properties = {
    files: { attribute: false },
    step: { attribute: false },
    error: { attribute: false },
  };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        max-width: 36rem;
        margin: 2rem auto;
      }
      li {
        list-style: none;
        margin: 0.5rem 0;
      }
      ul {
        padding: 0;
      }
      progress {
        width: 100%;
        height: 0.8rem;
      }
      .error {
        padding: 0.6rem 0.8rem;
        border-radius: 0.4rem;
        background: #fde8e6;
        color: #8a1c13;
      }
    `,
  ];

  /** File name → its latest download progress, one bar each. */
  declare files: Map<string, LoadProgress>;
  /** The current set-up step, announced politely. */
  declare step: string;
  /** Why start-up failed; when set, the error and "Try again" replace the progress. */
  declare error: string | null;

  constructor() {
    super();
    this.files = new Map();
    this.step = 'Starting…';
    this.error = null;
  }

  override render() {
    if (this.error) {
      return html`<div class="error" role="alert">
          <strong>CineSage could not start.</strong>
          <p>${this.error}</p>
        </div>
        <button class="action" @click=${() => this.dispatchEvent(new CustomEvent('cinesage-retry', { bubbles: true, composed: true }))}>
          Try again
        </button>`;
    }
    return html`<h2>Getting the recommender ready</h2>
      <p class="muted">
        The model and the movie graph are downloaded once, then everything runs on this device — even offline.
      </p>
      <ul>
        ${[...this.files.values()].map((f) => {
          const pct = f.total ? Math.round(((f.loaded ?? 0) / f.total) * 100) : 0;
          return html`<li>
            <label
              >${f.file}:
              ${f.cached ? 'from this device' : `${formatBytes(f.loaded)} of ${formatBytes(f.total)} (${pct}%)`}
              <progress part="progress" max=${f.total ?? 1} .value=${f.loaded ?? 0}></progress>
            </label>
          </li>`;
        })}
      </ul>
      <p role="status" aria-live="polite">${this.step}</p>`;
  }
}

if (!customElements.get('cinesage-loading-screen')) customElements.define('cinesage-loading-screen', LoadingScreen);

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-loading-screen': LoadingScreen;
  }
}
