/**
 * Serialises a graph, its feature spec and movie metadata into snapshot bytes (docs/snapshot-format.md).
 * Deterministic: the same input gives the same bytes and content hash (nothing time-dependent is added;
 * put such facts in `build` if wanted). Pure: no DOM or Node imports.
 */
import { encodeContainer } from './container.ts';
import {
  genreWordsFor,
  LINK_WORDS,
  type OptionalSectionName,
  type SectionName,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_SECTIONS,
  type SnapshotInput,
  type SnapshotMeta,
} from './format.ts';
import { findGraphProblem } from './validate-graph.ts';

type SectionBytes = Record<Exclude<SectionName, OptionalSectionName>, ArrayBufferView> &
  Partial<Record<OptionalSectionName, ArrayBufferView>>;

export function writeSnapshot(input: SnapshotInput): Uint8Array {
  const { graph, spec, movies } = input;
  if (graph.userFeatureDim !== spec.userColumns.length || graph.movieFeatureDim !== spec.movieColumns.length) {
    throw new Error('writeSnapshot: feature dims do not match the feature spec');
  }
  if (movies.length !== graph.numMovies || input.moviePopularity.length !== graph.numMovies) {
    throw new Error('writeSnapshot: movie metadata does not match the graph');
  }
  const problem = findGraphProblem(graph);
  if (problem) throw new Error(`writeSnapshot: inconsistent graph: ${problem}`);

  const encoder = new TextEncoder();
  const encodedTitles = movies.map((m) => encoder.encode(m.title));
  const titleOffsets = new Uint32Array(movies.length + 1);
  encodedTitles.forEach((t, i) => {
    titleOffsets[i + 1] = titleOffsets[i] + t.length;
  });
  const titles = new Uint8Array(titleOffsets[movies.length]);
  encodedTitles.forEach((t, i) => {
    titles.set(t, titleOffsets[i]);
  });

  const words = genreWordsFor(spec.genres.length);
  const genreMask = new Uint32Array(movies.length * words);
  const year = new Int16Array(movies.length);
  movies.forEach((m, i) => {
    year[i] = m.year ?? 0;
    for (const g of m.genres) {
      const bit = spec.genres.indexOf(g);
      if (bit < 0) throw new Error(`writeSnapshot: movie ${i} has genre "${g}", not in the feature spec`);
      genreMask[i * words + (bit >>> 5)] |= 1 << (bit & 31);
    }
  });

  const meta: SnapshotMeta = {
    dataset: { name: input.dataset.name, format: input.dataset.format },
    counts: { users: graph.numUsers, movies: graph.numMovies, edges: graph.numEdges },
    build: input.build ?? {},
  };
  const sections: SectionBytes = {
    meta: encoder.encode(JSON.stringify(meta)),
    featureSpec: encoder.encode(JSON.stringify(spec)),
    'graph.userPtr': graph.userPtr,
    'graph.edgeMovie': graph.edgeMovie,
    'graph.edgeRating': graph.edgeRating,
    'graph.edgeTime': graph.edgeTime,
    'graph.moviePtr': graph.moviePtr,
    'graph.movieAdjUser': graph.movieAdjUser,
    'graph.movieAdjEdge': graph.movieAdjEdge,
    'graph.userFeatures': graph.userFeatures,
    'graph.movieFeatures': graph.movieFeatures,
    'graph.userIds': graph.userIds,
    'graph.movieIds': graph.movieIds,
    'movies.titleOffsets': titleOffsets,
    'movies.titles': titles,
    'movies.year': year,
    'movies.genreMask': genreMask,
    'movies.popularity': input.moviePopularity,
  };
  if (movies.some((m) => m.links !== undefined)) sections['movies.links'] = linkWords(movies);
  return encodeSections(sections);
}

/** IMDb and TMDB id per movie, 0 where unknown (or where a movie has no `links`). */
function linkWords(movies: SnapshotInput['movies']): Uint32Array {
  const words = new Uint32Array(movies.length * LINK_WORDS);
  movies.forEach((m, i) => {
    const ids = [m.links?.imdbId ?? 0, m.links?.tmdbId ?? 0];
    ids.forEach((id, k) => {
      if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
        throw new Error(`writeSnapshot: movie ${i} has link id ${id}, not a u32`);
      }
      words[i * LINK_WORDS + k] = id;
    });
  });
  return words;
}

function encodeSections(sections: SectionBytes): Uint8Array {
  // Table order; an optional section is left out entirely (not written empty) when absent.
  const names = (Object.keys(SNAPSHOT_SECTIONS) as SectionName[]).filter((name) => sections[name] !== undefined);
  return encodeContainer(
    SNAPSHOT_FORMAT_VERSION,
    names.map((name) => ({ name, ...SNAPSHOT_SECTIONS[name], data: sections[name] as ArrayBufferView })),
    'writeSnapshot',
  );
}
