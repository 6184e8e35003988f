/**
 * Words and sentence vectors for the AI assist's built-in algorithms (rules/summarise.ts, rules/past-answers.ts):
 * a tokenizer that drops function words and folds common English endings ("refunds", "refunded" → "refund"),
 * a sentence splitter, and TF-IDF vectors with cosine similarity. Pure, no I/O.
 */
import { tokenize } from './faq-matcher.js';

/** Function words and chat filler: they say nothing about what a message is about. */
export const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can could ' +
    'did do does doing done down during each few for from further had has have having he her here hers herself him himself his how i ' +
    'if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over ' +
    'own same she should so some such than that the their theirs them themselves then there these they this those through to too ' +
    'under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    'also get got im ive id ill dont doesnt didnt cant wont isnt arent wasnt hasnt havent us let lets may might must shall one ' +
    's t d ll m re ve hi hello hey thanks thank please ok okay yes yeah sure oh well'
  ).split(' '),
);

/** Light English stemming: enough to meet "refund", "refunds", "refunded", "refunding" in one term. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4) return undouble(word.slice(0, -2));
  if (word.endsWith('es') && /(ch|sh|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** "shipp" → "ship", "stopp" → "stop" (after -ing / -ed). */
function undouble(word: string): string {
  return /([bdfgmnprt])\1$/.test(word) ? word.slice(0, -1) : word;
}

/** The meaningful, stemmed words of `text`, in order (repeats kept). */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of tokenize(text.replace(/['’]/g, ''))) {
    if (STOP_WORDS.has(word)) continue;
    const stemmed = stem(word);
    if (stemmed.length > 1 && !STOP_WORDS.has(stemmed)) out.push(stemmed);
  }
  return out;
}

/** Sentences of a message: split at line breaks and after . ! ? … followed by a space. Blank ones dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?…])\s+(?=\S)/u))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A sparse unit vector: term → weight. */
export type Vector = Map<string, number>;

/**
 * TF-IDF vectors of `documents` (each a list of terms), normalised to length 1. IDF is smoothed
 * (ln(1 + N / df)) so a term every document has still counts a little.
 */
export function tfidfVectors(documents: string[][]): Vector[] {
  const df = new Map<string, number>();
  for (const doc of documents) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const n = documents.length;
  return documents.map((doc) => {
    const tf = new Map<string, number>();
    for (const term of doc) tf.set(term, (tf.get(term) ?? 0) + 1);
    const vector: Vector = new Map();
    let norm = 0;
    for (const [term, count] of tf) {
      const weight = (count / doc.length) * Math.log(1 + n / (df.get(term) ?? 1));
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  });
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) dot += weight * other;
  }
  return dot;
}

/** Text compared as people read it: case, spacing and closing punctuation ignored (for de-duplication). */
export function sameText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .replace(/[\s.!?…]+$/u, '')
    .trim();
}
