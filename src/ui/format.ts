/** Small text formatters shared by the UI components (numbers, bytes, durations, movie lines). */
import type { MovieSummary } from '../core/api.ts';

export { formatBytes } from '../core/units.ts';

export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "Drama, Romance · 1995" */
export function movieDetails(movie: Pick<MovieSummary, 'year' | 'genres'>): string {
  return [movie.genres.join(', '), movie.year ?? ''].filter(Boolean).join(' · ');
}
