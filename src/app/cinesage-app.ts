/**
 * `<cinesage-app>`: the site's root component. It starts the inference worker and shows, in plain words,
 * what state the recommender is in.
 */
import { css, html, LitElement } from 'lit';
import type { WorkerInfo } from '../../workers/inference-service.ts';
import { createInferenceClient } from '../client/inference-client.ts';

type AppState = { kind: 'starting' } | { kind: 'ready'; info: WorkerInfo } | { kind: 'error'; message: string };

export class CineSageApp extends LitElement {
  static override properties = { state: { state: true } };
  static override styles = css`
    :host {
      display: block;
      font-family: system-ui, sans-serif;
      max-width: 72rem;
      margin: 0 auto;
      padding: 1rem;
      color: #1c1b22;
    }
    h1 {
      font-size: 1.6rem;
      margin: 0 0 0.5rem;
    }
    [role='status'] {
      padding: 0.5rem 0.75rem;
      border-radius: 0.4rem;
      background: #f1f0f7;
    }
  `;

  declare state: AppState;
  readonly #client = createInferenceClient();

  constructor() {
    super();
    this.state = { kind: 'starting' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#client.call('ping').then(
      (info) => {
        this.state = { kind: 'ready', info };
      },
      (err: Error) => {
        this.state = { kind: 'error', message: err.message };
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#client.terminate();
  }

  override render() {
    return html`<h1>CineSage</h1>
      <p>Movie recommendations from a graph neural network that runs on your device.</p>
      <p role="status" data-state=${this.state.kind}>${this.#statusText()}</p>`;
  }

  #statusText(): string {
    switch (this.state.kind) {
      case 'starting':
        return 'Starting the recommender…';
      case 'ready':
        return `The recommender worker is running${this.state.info.hasWebGPU ? ' (this browser offers WebGPU)' : ''}.`;
      case 'error':
        return `The recommender could not start: ${this.state.message}`;
    }
  }
}

customElements.define('cinesage-app', CineSageApp);

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-app': CineSageApp;
  }
}
