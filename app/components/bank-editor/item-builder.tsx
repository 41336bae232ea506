import { useState } from 'react';
import type { FamilyChoice } from '~/bank-editor';

type Kind = 'generated' | 'basic' | 'cloze' | 'choice';

type Range = number | { min: number; max: number; step?: number } | { choices: number[] };

/**
 * "7" → 7; "13-227" or "13..227" → {min: 13, max: 227}; "3, 5, 7" → {choices: [3, 5, 7]}; the
 * bank syntax the placeholders show ({min: 1, max: 9, step: 2}, {choices: [3, 5]}) as written;
 * blank → null (the family's default).
 */
export function readRange(text: string): Range | null | 'invalid' {
  const cleaned = text.trim();
  if (cleaned === '') return null;
  const bankRange = /^\{\s*min:\s*(\d+)\s*,\s*max:\s*(\d+)\s*(?:,\s*step:\s*(\d+)\s*)?\}$/.exec(cleaned);
  if (bankRange) return { min: Number(bankRange[1]), max: Number(bankRange[2]), ...(bankRange[3] !== undefined && { step: Number(bankRange[3]) }) };
  const bankChoices = /^\{\s*choices:\s*\[([^\]]*)\]\s*\}$/.exec(cleaned);
  if (bankChoices) return readChoices(bankChoices[1]!);
  const between = /^(\d+)\s*(?:-|\.\.|…|to)\s*(\d+)$/.exec(cleaned);
  if (between) return { min: Number(between[1]), max: Number(between[2]) };
  const values = readChoices(cleaned);
  return values === 'invalid' || values.choices.length !== 1 ? values : values.choices[0]!;
}

function readChoices(text: string): { choices: number[] } | 'invalid' {
  const values = text.trim().split(/[\s,;]+/).map(Number);
  return values.every((v) => Number.isFinite(v)) ? { choices: values } : 'invalid';
}

/**
 * A form per item kind that writes the item's YAML into the editor: generated items pick a family
 * of the engine and its parameter ranges (defaults shown), difficulty and tolerance.
 */
export function ItemBuilder({ families, topics, onAppend }: { families: FamilyChoice[]; topics: readonly string[]; onAppend: (item: Record<string, unknown>) => string | null }) {
  const [kind, setKind] = useState<Kind>('generated');
  const [familyId, setFamilyId] = useState(families[0]?.id ?? '');
  const [message, setMessage] = useState<string | null>(null);
  const family = families.find((f) => f.id === familyId);

  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const item: Record<string, unknown> = { id: text('id'), kind, topic: text('topic'), tags: text('tags').split(/[\s,]+/).filter(Boolean) };
    if (kind === 'generated') {
      item.title = text('title');
      item.family = familyId;
      if (text('difficulty') !== '') item.difficulty = Number(text('difficulty'));
      const ranges: Record<string, Range> = {};
      for (const p of family?.parameters ?? []) {
        const r = readRange(text(`range-${p.name}`));
        if (r === 'invalid') return setMessage(`the range of ${p.name} must be a number (7), a range (13-227) or choices (3, 5, 7)`);
        if (r) ranges[p.name] = r;
      }
      if (Object.keys(ranges).length) item.ranges = ranges;
      const relative = text('relative');
      if (relative !== '') item.tolerance = { relative: Number(relative) / 100 };
    } else if (kind === 'basic') {
      item.front = text('front');
      item.back = text('back');
    } else if (kind === 'cloze') {
      item.text = text('text');
      if (text('extra')) item.extra = text('extra');
    } else {
      item.question = text('question');
      item.options = text('options')
        .split('\n')
        .map((o) => o.trim())
        .filter(Boolean)
        .map((o, i) => ({ key: 'abcdefgh'[i] ?? `o${i + 1}`, text: o }));
      const keys = text('answer').split(/[\s,]+/).filter(Boolean);
      item.answer = keys.length === 1 ? keys[0] : keys;
      item.explanation = text('explanation');
    }
    const error = onAppend(item);
    setMessage(error ?? `Added ${item.id as string} to the bank text: save to keep it.`);
  };

  return (
    <form className="item-builder" onSubmit={submit} aria-labelledby="builder-title">
      <h3 id="builder-title">Add an item</h3>
      <p className="field-row">
        <label>
          Kind{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} name="kind">
            <option value="generated">generated (a family of the engine)</option>
            <option value="basic">basic (front / back)</option>
            <option value="cloze">cloze ({'{{c1::…}}'})</option>
            <option value="choice">multiple choice</option>
          </select>
        </label>
        <label>
          Id <input name="id" required pattern="[a-z0-9]+(-[a-z0-9]+)*" placeholder="alexnet-conv1-output" />
        </label>
        <label>
          Topic{' '}
          <select name="topic" defaultValue={family?.topic ?? topics[0]} key={familyId}>
            {topics.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Tags <input name="tags" placeholder="alexnet vgg" />
        </label>
      </p>
      {kind === 'generated' ? (
        <>
          <p className="field-row">
            <label>
              Family{' '}
              <select value={familyId} onChange={(e) => setFamilyId(e.target.value)} name="family">
                {families.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.id} — {f.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Title <input name="title" required />
            </label>
            <label>
              Difficulty{' '}
              <select name="difficulty" defaultValue="">
                <option value="">any (each question draws one)</option>
                <option>1</option>
                <option>2</option>
                <option>3</option>
              </select>
            </label>
            <label>
              Tolerance (%) <input name="relative" type="number" min={0} max={100} step="any" placeholder="exact" />
            </label>
          </p>
          <fieldset className="ranges">
            <legend>Parameter ranges: a number (7), a range (13-227 or {'{min: 13, max: 227}'}) or choices (3, 5, 7); blank keeps the family's default, shown greyed</legend>
            {family?.parameters.map((p) => (
              <label key={`${familyId}-${p.name}`} title={p.description}>
                <code>{p.name}</code> <input name={`range-${p.name}`} placeholder={p.range} /> <small>{p.description}</small>
              </label>
            ))}
          </fieldset>
        </>
      ) : null}
      {kind === 'basic' ? (
        <p className="field-row">
          <label>
            Front (Markdown, $…$ for maths) <textarea name="front" rows={5} required />
          </label>
          <label>
            Back <textarea name="back" rows={5} required />
          </label>
        </p>
      ) : null}
      {kind === 'cloze' ? (
        <p className="field-row">
          <label>
            Text with {'{{c1::answer}}'} <textarea name="text" rows={5} required />
          </label>
          <label>
            Extra <textarea name="extra" rows={3} />
          </label>
        </p>
      ) : null}
      {kind === 'choice' ? (
        <p className="field-row">
          <label>
            Question <textarea name="question" rows={5} required />
          </label>
          <label>
            Options, one a line (keys a, b, c…) <textarea name="options" rows={6} required />
          </label>
          <label>
            Answer key(s) <input name="answer" required placeholder="a" />
          </label>
          <label>
            Explanation <textarea name="explanation" rows={5} required />
          </label>
        </p>
      ) : null}
      <button type="submit" className="secondary">
        Add to the bank text
      </button>
      {message ? <p role="status">{message}</p> : null}
    </form>
  );
}
