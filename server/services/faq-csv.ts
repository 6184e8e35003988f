/** FAQ spreadsheets: CSV export (formula-safe) and import (validated line by line). */
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FaqImportResult, FaqInput } from '../../protocol/api.js';
import { LIMITS } from '../../protocol/limits.js';
import { FAQ_TYPES, type Faq, type FaqType } from '../../protocol/types.js';
import { neutralise } from '../csv-safety.js';
import { HubError } from '../errors.js';

export function faqsToCsv(faqs: Faq[]): string {
  const rows = faqs.flatMap((faq) => faq.questions.map((q) => [faq.type, neutralise(q), neutralise(faq.answer)]));
  return stringify([['type', 'question', 'answer'], ...rows]);
}

/**
 * GET /api/faqs/sample.csv: the import format by example. One row per question; rows with the same type and answer
 * form one FAQ (the opening hours FAQ has two questions); answers may use the personalisation placeholders.
 */
export const SAMPLE_FAQ_CSV = stringify([
  ['type', 'question', 'answer'],
  ['greeting', 'hello', 'Hello {first_name|there}! How can I help you today?'],
  ['general', 'What are your opening hours?', 'We are open Monday to Friday, 9:00 to 18:00.'],
  ['general', 'When are you open?', 'We are open Monday to Friday, 9:00 to 18:00.'],
  ['general', 'How long does delivery take?', 'Delivery takes 2 to 4 working days. We email tracking details to {email|you} when your parcel leaves.'],
  ['closing', 'thank you', 'You are welcome, {first_name|see you soon}!'],
]);

/** Lines with the same type and answer become one FAQ with several questions. */
export function parseFaqCsv(text: string): { faqs: FaqInput[]; errors: FaqImportResult['errors'] } {
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (error) {
    throw new HubError('bad_request', `Not a valid CSV file: ${(error as Error).message}`);
  }
  const errors: FaqImportResult['errors'] = [];
  const groups = new Map<string, FaqInput>();
  for (const [index, record] of records.entries()) {
    const line = index + 1;
    const [type = '', question = '', answer = ''] = record;
    if (line === 1 && type.toLowerCase() === 'type') continue;
    const cleanType = type.toLowerCase() as FaqType;
    const problem = !FAQ_TYPES.includes(cleanType)
      ? `Unknown type "${type.slice(0, 40)}"`
      : !question || !answer
        ? 'Question and answer are required'
        : question.length > LIMITS.faqQuestion || answer.length > LIMITS.faqAnswer
          ? 'Too long'
          : null;
    if (problem) {
      errors.push({ line, message: problem });
      continue;
    }
    const key = `${cleanType}\u0000${answer}`;
    const group = groups.get(key) ?? { type: cleanType, questions: [], answer };
    if (group.questions.length < LIMITS.faqQuestions && !group.questions.includes(question)) group.questions.push(question);
    groups.set(key, group);
  }
  return { faqs: [...groups.values()], errors };
}
