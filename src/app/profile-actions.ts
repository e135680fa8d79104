/**
 * The site's answers to the profile panel's export, import and reset events: each calls the worker once
 * and returns the plain-language message the panel shows (and whether the list must be refreshed).
 */
import type { RecommenderClient } from '../client/recommender-client.ts';

export interface ProfileOutcome {
  message: { text: string; error: boolean };
  /** The visitor's ratings changed: refresh the list. */
  changed: boolean;
}

/** Downloads the visitor's ratings as `cinesage-ratings.json`. */
export async function exportProfile(client: RecommenderClient, count: number): Promise<ProfileOutcome> {
  try {
    downloadFile('cinesage-ratings.json', await client.call('exportRatings'), 'application/json');
    return { message: { text: `Exported ${count} ratings.`, error: false }, changed: false };
  } catch (err) {
    return {
      message: { text: `The ratings were not exported: ${(err as Error).message}`, error: true },
      changed: false,
    };
  }
}

/** Imports a ratings file (validated in the worker); a refused file leaves the profile as it was. */
export async function importProfile(client: RecommenderClient, file: File): Promise<ProfileOutcome> {
  try {
    const count = await client.call('importRatings', await file.text());
    return { message: { text: `Imported ${count} ratings from ${file.name}.`, error: false }, changed: true };
  } catch (err) {
    const text = `${file.name} was not imported: ${(err as Error).message} Your current ratings are unchanged.`;
    return { message: { text, error: true }, changed: false };
  }
}

/** Removes every rating (the panel asked the visitor first). */
export async function resetProfile(client: RecommenderClient): Promise<ProfileOutcome> {
  try {
    await client.call('resetProfile');
    return { message: { text: 'All ratings removed.', error: false }, changed: true };
  } catch (err) {
    return {
      message: { text: `The ratings were not removed: ${(err as Error).message}`, error: true },
      changed: false,
    };
  }
}

function downloadFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
