/**
 * The engine's status as the page sees it (`EngineStatus`): one mutable record the other parts write their
 * facts into (timings, counts, backend, storage), and `refresh` which derives the state — 'ready', or
 * 'degraded' with every reason said in plain language (ratings kept in memory only, a WebGPU fallback,
 * ratings for movies this catalog lacks). Callers get a copy, never the live record.
 */
import type { EngineStatus } from '../../src/core/api.ts';
import type { ProfileStore } from '../storage/profile-store.ts';

export function initialStatus(): EngineStatus {
  return {
    state: 'loading',
    reason: null,
    errorName: null,
    backend: null,
    backendReason: null,
    modelVariant: null,
    dataset: null,
    artifacts: [],
    counts: null,
    embeddingSource: null,
    fullForwardPasses: 0,
    timings: {
      catalogMs: null,
      personalMs: null,
      initMs: null,
      lastFullForwardMs: null,
      lastUpdateMs: null,
      lastScoringMs: null,
    },
    storage: { mode: 'indexeddb', reason: null, usageBytes: null },
    visitorRatings: 0,
    ratingStep: null,
    artifactsChanged: false,
  };
}

export class StatusBoard {
  readonly status = initialStatus();

  /** Records one full forward pass and its time. */
  fullPass(ms: number): void {
    this.status.fullForwardPasses++;
    this.status.timings.lastFullForwardMs = ms;
  }

  /** The start-up failed: the page shows the reason and the error's class. */
  failed(err: Error): void {
    this.status.state = 'error';
    this.status.reason = err.message;
    this.status.errorName = err.name;
  }

  /**
   * Derives the state from what the running engine reports: 'personalising' until the model part is in
   * (`runner` null), then 'ready' or 'degraded' with the reasons. An 'error' stays.
   */
  refresh(facts: {
    store: ProfileStore;
    runner: { backend: EngineStatus['backend']; reason: string; fallbackReason: string | null } | null;
    foreignRatings: number;
    visitorRatings: number;
    ratingStep: number;
  }): void {
    const s = this.status;
    const reasons: string[] = [];
    if (facts.store.status.mode === 'memory')
      reasons.push(facts.store.status.reason ?? 'Ratings are kept in memory only.');
    if (facts.runner?.fallbackReason) reasons.push(facts.runner.fallbackReason);
    if (facts.foreignRatings > 0) {
      reasons.push(
        `${facts.foreignRatings} of your ratings are for movies this catalog does not have; they are kept but not used.`,
      );
    }
    if (s.state === 'error') {
      // The model part failed: the reason stays; the catalog's facts below still update.
    } else if (facts.runner) {
      s.state = reasons.length > 0 ? 'degraded' : 'ready';
      s.reason = reasons.length > 0 ? reasons.join(' ') : null;
      s.backend = facts.runner.backend;
      s.backendReason = facts.runner.reason;
    } else {
      s.state = 'personalising';
      s.reason = [
        'Your personal recommendations are on their way; meanwhile the list shows popular movies.',
        ...reasons,
      ].join(' ');
    }
    s.ratingStep = facts.ratingStep;
    s.visitorRatings = facts.visitorRatings;
    s.storage = { ...s.storage, ...facts.store.status };
  }

  /** A copy for the page. */
  copy(): EngineStatus {
    return structuredClone(this.status);
  }
}
