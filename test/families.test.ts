/**
 * Every question family over 1,000 seeds: deterministic, JSON-safe, its answer equal to the
 * engine's analysis of its spec (or to an independent computation where there is no spec),
 * its explanation ending on the answer, its display read back and graded correct, and each
 * misconception's value graded wrong and diagnosed as exactly that misconception.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs, type Command, type CommandOutput } from '../bin/cli';
import { families as familiesCommand } from '../bin/commands/families';
import { grade as gradeCommand } from '../bin/commands/grade';
import { question } from '../bin/commands/question';
import { analyze } from '../engine/analysis';
import { formatAnswer, grade, readAnswer } from '../engine/answers';
import { families, getFamily, measureSource, variantOf } from '../engine/families';
import type { Variant } from '../engine/question';
import { domainViolation, rangeBounds, rangeProblem, type Parameter } from '../engine/families/draw';
import { plainText } from '../engine/families/tex';
import type { Spec } from '../engine/spec';

const SEEDS = 1000;

function specOf(v: Variant): Spec {
  if (!v.spec) throw new Error(`${v.family} seed ${v.seed} has no spec`);
  return v.spec;
}

function unitOf(v: Variant): string {
  return v.answer.kind === 'count' ? v.answer.unit : v.answer.kind;
}

/** Counting convention the question states, from the unit it asks for. */
function withBias(v: Variant): boolean {
  return unitOf(v) === 'params';
}

function lastTopField(spec: Spec): number {
  const rows = analyze(spec).layers.filter((r) => r.depth === 0);
  return rows[rows.length - 1]!.rf.size;
}

function depthOf(spec: Spec): number {
  const out = analyze(spec).output;
  return out[out.length - 1]!;
}

function byUnit(v: Variant): number {
  const a = analyze(specOf(v), { bias: withBias(v) });
  switch (unitOf(v)) {
    case 'macs':
      return a.totals.macs;
    case 'flops':
      return a.totals.flops;
    default:
      return a.totals.params;
  }
}

function numberIn(prompt: string, pattern: RegExp): number {
  const m = pattern.exec(prompt);
  if (!m) throw new Error(`no ${pattern} in: ${prompt}`);
  return Number(m[1]);
}

/** Path lengths of a fractal block by enumeration: one column is [1]; C + 1 columns pair every path of two C blocks, plus the lone conv. */
const fractalPaths = new Map<number, number[]>([[1, [1]]]);
function pathLengths(columns: number): number[] {
  const known = fractalPaths.get(columns);
  if (known) return known;
  const inner = pathLengths(columns - 1);
  const out: number[] = [1];
  for (const a of inner) for (const b of inner) out.push(a + b);
  fractalPaths.set(columns, out);
  return out;
}

/** The expected answer per family, from analyze() of the variant's spec or an independent computation. */
const expected: Record<string, (v: Variant) => number | number[]> = {
  'conv-output-size': (v) => analyze(specOf(v)).output,
  'pool-output-size': (v) => analyze(specOf(v)).output,
  'conv-params': (v) => analyze(specOf(v), { bias: withBias(v) }).totals.params,
  'fc-params': (v) => analyze(specOf(v), { bias: withBias(v) }).totals.params,
  'network-params': (v) => analyze(specOf(v), { bias: withBias(v) }).totals.params,
  'activation-memory': (v) => analyze(specOf(v)).totals.activations * (unitOf(v) === 'bytes' ? 4 : 1),
  'receptive-field-stack': (v) => lastTopField(specOf(v)),
  'stacked-3x3-vs-large': (v) => {
    const spec = specOf(v);
    if (unitOf(v) === 'pixels') return lastTopField(spec);
    const stack = analyze(spec, { bias: false }).totals.params;
    if (!v.prompt.includes('fewer')) return stack;
    const k = lastTopField(spec);
    const single = analyze({ input: spec.input, layers: [{ kind: 'conv', filters: spec.input[2], kernel: k, padding: (k - 1) / 2 }] }, { bias: false });
    return single.totals.params - stack;
  },
  'one-by-one-projection': (v) => (v.answer.kind === 'shape' ? analyze(specOf(v)).output : byUnit(v)),
  'inception-output-depth': (v) => depthOf(specOf(v)),
  'inception-naive-macs': byUnit,
  'inception-bottleneck-macs': byUnit,
  'resnet-block-params': (v) => analyze(specOf(v)).totals.params,
  'resnet-block-macs': (v) => analyze(specOf(v)).totals.macs,
  'grouped-conv-params': byUnit,
  'wide-resnet-widening': (v) => analyze(specOf(v)).totals.params,
  'densenet-channels': (v) => depthOf(specOf(v)),
  'fire-module-params': (v) => (unitOf(v) === 'channels' ? depthOf(specOf(v)) : byUnit(v)),
  'squeezenet-compression': (v) => {
    const spec = specOf(v);
    const bias = v.prompt.includes('weights and biases');
    const plain = analyze({ input: spec.input, layers: [{ kind: 'conv', filters: depthOf(spec), kernel: 3, padding: 1 }] }, { bias });
    return Math.round((100 * plain.totals.params) / analyze(spec, { bias }).totals.params) / 100;
  },
  'locally-connected-params': (v) => {
    const a = analyze(specOf(v));
    const [h, w] = a.output as [number, number, number];
    return v.answer.kind === 'number' ? h * w : h * w * a.totals.params;
  },
  'stochastic-depth-expected': (v) => {
    const L = numberIn(v.prompt, /L = (\d+)/);
    const pL = numberIn(v.prompt, /p_L = ([\d.]+)/);
    let active = 0;
    for (let l = 1; l <= L; l++) active += 1 - (l / L) * (1 - pL);
    return v.prompt.includes('How many blocks are dropped') ? L - active : active;
  },
  'fractalnet-paths': (v) => {
    const paths = pathLengths(numberIn(v.prompt, /C = (\d+)/));
    if (unitOf(v) === 'paths') return paths.length;
    const deepest = paths.reduce((a, b) => Math.max(a, b), 0);
    return v.prompt.includes('B = ') ? numberIn(v.prompt, /B = (\d+)/) * deepest : deepest;
  },
};

/** The last number (or H×W×C shape) on the explanation's last line, its TeX read as plain text. */
function finalNumber(explanation: string[]): number | number[] {
  const line = plainText(explanation[explanation.length - 1] ?? '');
  const shape = /(\d+(?:×\d+)+)\s*$/.exec(line);
  if (shape) return shape[1]!.split('×').map(Number);
  const numbers = line.match(/\d[\d,]*(?:\.\d+)?/g) ?? [];
  const last = numbers[numbers.length - 1];
  return last === undefined ? NaN : Number(last.replace(/,/g, ''));
}

function near(a: number | number[], b: number | number[], slack: number): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return Math.abs(a - b) <= slack;
}

it('registers every family id of the brief, once, with a known topic', () => {
  const ids = 'conv-output-size, pool-output-size, conv-params, fc-params, network-params, activation-memory, receptive-field-stack, stacked-3x3-vs-large, one-by-one-projection, inception-output-depth, inception-naive-macs, inception-bottleneck-macs, resnet-block-params, resnet-block-macs, grouped-conv-params, wide-resnet-widening, densenet-channels, fire-module-params, squeezenet-compression, stochastic-depth-expected, fractalnet-paths, locally-connected-params'.split(', ');
  const topics = new Set('conv-arithmetic parameters compute memory receptive-field alexnet zfnet vgg googlenet resnet nin wide-resnet resnext stochastic-depth fractalnet densenet squeezenet history'.split(' '));
  expect(families.map((f) => f.id).sort()).toEqual([...ids].sort());
  for (const f of families) {
    expect(topics.has(f.topic), `${f.id} topic ${f.topic}`).toBe(true);
    expect(Object.keys(f.parameters ?? {}).length, `${f.id} declares parameters`).toBeGreaterThan(0);
  }
  expect(Object.keys(expected).sort()).toEqual([...ids].sort());
});

it('getFamily names the ids when it does not know one', () => {
  expect(getFamily('conv-params').id).toBe('conv-params');
  expect(() => getFamily('conv-param')).toThrow(/unknown question family 'conv-param'; families: conv-output-size, .*locally-connected-params/);
});

describe.each(families.map((f) => [f.id, f] as const))('%s', (id, family) => {
  it(`holds over ${SEEDS} seeds`, () => {
    const failures: string[] = [];
    const fail = (seed: number, what: string) => failures.length < 12 && failures.push(`seed ${seed}: ${what}`);
    const answers = new Set<string>();
    const difficulties = new Set<number>();
    const diagnosed = new Set<string>();
    for (let seed = 0; seed < SEEDS; seed++) {
      const v = variantOf(family, seed);
      if (!isDeepStrictEqual(variantOf(family, seed), v)) fail(seed, 'same seed gave another variant');
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify(v)), v)) fail(seed, 'the variant does not survive a JSON round trip');
      answers.add(JSON.stringify(v.answer.value));
      difficulties.add(v.difficulty);
      const text = [v.prompt, ...v.explanation].join('\n');
      if (/undefined|NaN|\[object/.test(text)) fail(seed, `text has undefined/NaN: ${text}`);
      const slack = v.answer.tolerance?.absolute ?? 0;
      const value = v.answer.kind === 'choice' ? NaN : v.answer.value;

      const truth = expected[id]!(v);
      if (!near(truth, value, slack + 1e-9)) fail(seed, `answer ${JSON.stringify(value)} but independent/analysis gives ${JSON.stringify(truth)}`);
      if (v.spec && v.source && !near(measureSource(v.spec, v.source), value, 1e-9)) fail(seed, `source ${JSON.stringify(v.source)} measures ${JSON.stringify(measureSource(v.spec, v.source))}`);
      if (!near(finalNumber(v.explanation), value, 1e-9)) fail(seed, `explanation ends on ${JSON.stringify(finalNumber(v.explanation))}, answer ${JSON.stringify(value)}`);

      if (v.answer.display !== formatAnswer(v.answer)) fail(seed, 'display is not formatAnswer');
      const read = readAnswer(v.answer.display, v.answer);
      if (!read.ok || JSON.stringify(read.value.value) !== JSON.stringify(value)) fail(seed, `display '${v.answer.display}' reads as ${JSON.stringify(read)}`);
      const right = grade(v, v.answer.display);
      if (!right.correct) fail(seed, `display '${v.answer.display}' graded ${JSON.stringify(right.feedback)}`);

      for (const m of v.misconceptions) {
        const typed = formatAnswer(m.value);
        const g = grade(v, typed);
        if (g.correct || g.misconception?.id !== m.id) fail(seed, `misconception ${m.id} (${typed}) graded ${g.status} as ${g.misconception?.id ?? 'none'}; answer ${v.answer.display}`);
        else diagnosed.add(m.id);
      }
    }
    expect(failures).toEqual([]);
    expect(answers.size, 'answers vary across seeds').toBeGreaterThan(family.id === 'fractalnet-paths' ? 5 : 20);
    expect([...difficulties].sort()).toEqual([1, 2, 3]);
    expect(diagnosed.size, 'some misconception is recognised').toBeGreaterThan(0);
  });

  it('steers by difficulty and by a bank range', () => {
    for (const difficulty of [1, 2, 3] as const) expect(variantOf(family, 7, { difficulty }).difficulty).toBe(difficulty);
    const [name, parameter] = Object.entries(family.parameters ?? {})[0]!;
    const fixed = rangeBounds(parameter.range).min;
    // A bank range of one value is honoured or refused with a message naming the family.
    try {
      variantOf(family, 3, { ranges: { [name]: fixed } });
    } catch (e) {
      expect(String(e)).toMatch(new RegExp(family.id));
    }
    expect(() => variantOf(family, 3, { ranges: { [name]: { min: 5, max: 1 } } })).toThrow(`${family.id}: ranges.${name}: {min: 5, max: 1} has min > max`);
  });
});

describe('parameters: ranges, domains and how far answers vary', () => {
  it("every family's default range and every level lies inside the parameter's domain", () => {
    const outside: string[] = [];
    for (const f of families)
      for (const [name, p] of Object.entries(f.parameters ?? {}) as [string, Parameter][]) {
        for (const range of [p.range, ...Object.values(p.levels ?? {})]) {
          const problem = rangeProblem(range) ?? domainViolation(name, range, p.domain);
          if (problem) outside.push(`${f.id}.${name}: ${problem}`);
        }
        if (!p.domain) outside.push(`${f.id}.${name}: no domain declared`);
      }
    expect(outside).toEqual([]);
  });

  it('a bank range outside the domain makes generate throw, naming the value and the rule', () => {
    expect(() => {
      for (let seed = 0; seed < 100; seed++) variantOf('conv-output-size', seed, { ranges: { kernel: { min: 3, max: 5 } } });
    }).toThrow(/conv-output-size: ranges\.kernel: drew 4 from \{min: 3, max: 5\}, but kernel must be odd and ≥ 1/);
  });

  /** Distinct answers over 3,000 unsteered seeds (issue 12 measured the four named families at 16, 22, 27, 30). */
  const DISTINCT_SEEDS = 3000;
  const before: Record<string, number> = { 'fractalnet-paths': 16, 'stacked-3x3-vs-large': 22, 'wide-resnet-widening': 27, 'resnet-block-params': 30 };
  it.each(families.map((f) => [f.id, f] as const))(`%s draws at least 50 distinct answers in ${DISTINCT_SEEDS} seeds (fractalnet-paths: documented exception)`, (id, family) => {
    const answers = new Set<string>();
    for (let seed = 0; seed < DISTINCT_SEEDS; seed++) answers.add(JSON.stringify(variantOf(family, seed).answer.value));
    // FractalNet's answers are powers of two and P(C) = P(C−1)² + 1: its doc comment says why fewer.
    expect(answers.size).toBeGreaterThanOrEqual(id === 'fractalnet-paths' ? 25 : 50);
    if (before[id] !== undefined) expect(answers.size, `${id} was ${before[id]}`).toBeGreaterThan(before[id]!);
  });
});

describe('known variants from the lecture', () => {
  it('AlexNet CONV1: 227×227×3, 96 filters 11×11 stride 4 pad 0 → 55×55×96', () => {
    const v = variantOf('conv-output-size', 0, { difficulty: 2, ranges: { size: 227, channels: 3, filters: 96, kernel: 11, stride: 4, padding: 0 } });
    expect(v.answer.value).toEqual([55, 55, 96]);
    expect(v.prompt).toContain('227×227×3');
  });

  it("the naive inception module on 28×28×256 costs 854,196,224 MACs", () => {
    const v = variantOf('inception-naive-macs', 0, { difficulty: 1, ranges: { f1: 128, f3: 192, f5: 96 } });
    expect(v.answer).toMatchObject({ kind: 'count', value: 854_196_224, display: '854,196,224' });
  });

  it('the bottleneck module costs 271,351,808 MACs (not the lecture’s 358M)', () => {
    const v = variantOf('inception-bottleneck-macs', 0, { difficulty: 1, ranges: { f1: 128, f3: 192, f5: 96, r3: 64, r5: 64, pool: 64 } });
    expect(v.answer.value).toBe(271_351_808);
    const depth = variantOf('inception-output-depth', 0, { difficulty: 2, ranges: { size: 28, channels: 256, f1: 128, f3: 192, f5: 96, r3: 64, r5: 64, pool: 64 } });
    expect(depth.answer.value).toBe(480);
  });

  it('locally connected AlexNet CONV1: 55·55·96·(11·11·3 + 1) = 105,705,600', () => {
    const v = variantOf('locally-connected-params', 0, { difficulty: 1, ranges: { size: 227, channels: 3, filters: 96, kernel: 11, stride: 4, padding: 0 } });
    expect(v.answer.value).toBe(105_705_600);
    expect(grade(v, '34,944').misconception?.id).toBe('shared-weights');
  });

  it('AlexNet CONV1 weights: 34,848 without biases, 34,944 with', () => {
    const ranges = { channels: 3, filters: 96, kernel: 11 };
    expect(variantOf('conv-params', 0, { difficulty: 2, ranges: { ...ranges, bias: 0 } }).answer.value).toBe(34_848);
    const v = variantOf('conv-params', 0, { difficulty: 2, ranges: { ...ranges, bias: 1 } });
    expect(v.answer.value).toBe(34_944);
    expect(grade(v, '34848').misconception?.id).toBe('forgot-bias');
  });

  it('stochastic depth with L = 54, p_L = 0.5 keeps 40.25 blocks on average', () => {
    const v = variantOf('stochastic-depth-expected', 0, { difficulty: 2, ranges: { blocks: 54, survival: 50 } });
    expect(v.answer.value).toBe(40.25);
  });

  it('FractalNet with 4 columns and 5 blocks is 40 convs deep', () => {
    expect(variantOf('fractalnet-paths', 0, { difficulty: 2, ranges: { columns: 4, blocks: 5 } }).answer.value).toBe(40);
  });

  it('DenseNet-121 block 1: 64 + 6·32 = 256, then a transition to 128', () => {
    expect(variantOf('densenet-channels', 0, { difficulty: 1, ranges: { input: 64, growth: 32, layers: 6 } }).answer.value).toBe(256);
    expect(variantOf('densenet-channels', 0, { difficulty: 3, ranges: { input: 64, growth: 32, layers: 6 } }).answer.value).toBe(128);
  });

  it("SqueezeNet fire2 (96 → 16, 64, 64) has 11,920 parameters", () => {
    const v = variantOf('fire-module-params', 0, { difficulty: 2, ranges: { input: 96, squeeze: 16, bias: 1 } });
    expect(v.answer.value).toBe(11_920);
  });

  it('three stacked 3×3 convs see 7×7 with 27C² weights against 49C²', () => {
    expect(variantOf('stacked-3x3-vs-large', 0, { difficulty: 1, ranges: { convs: 3 } }).answer.value).toBe(7);
    const v = variantOf('stacked-3x3-vs-large', 0, { difficulty: 3, ranges: { convs: 3, channels: 64 } });
    expect(v.answer.value).toBe((49 - 27) * 64 * 64);
  });
});

describe('prompts an independent reading found ambiguous (issue 12), rewritten', () => {
  it("FractalNet says how a block's two branches are put together", () => {
    const v = variantOf('fractalnet-paths', 0, { difficulty: 1, ranges: { columns: 3 } });
    expect(v.prompt).not.toContain('joins one conv with two C-column blocks in series');
    expect(v.prompt).toContain('A block with C + 1 columns has two branches side by side whose outputs are joined (averaged): one branch is a single conv, the other is two C-column blocks one after the other.');
  });

  it('DenseNet defines the m of ⌊θ·m⌋', () => {
    const v = variantOf('densenet-channels', 0, { difficulty: 3, ranges: { input: 64, growth: 32, layers: 6 } });
    expect(v.prompt).toContain('a 1×1 conv to ⌊θ·m⌋ channels, where m is the number of channels the block outputs');
    expect(plainText(v.explanation[0]!)).toBe('Block output: m = k_0 + l·k = 64 + 6·32 = 256');
  });

  it('stochastic depth says where the line starts and what block 1 keeps', () => {
    const v = variantOf('stochastic-depth-expected', 0, { difficulty: 2, ranges: { blocks: 54, survival: 50 } });
    expect(v.prompt).not.toContain('linearly from 1');
    expect(v.prompt).toContain('The line runs from 1 at the input (l = 0, never dropped) to p_L at the last block, so even block 1 may be dropped: p_1 = 1 − (1 − p_L)/L ≈ 0.991.');
  });
});

describe('CLI: families, question, grade', () => {
  const run = (command: Command, argv: string[]) => command.run(parseArgs([...argv, '--json'], command)) as CommandOutput;

  it('families lists { id, title, topic } for every family', () => {
    expect(run(familiesCommand, []).json).toEqual(families.map((f) => ({ id: f.id, title: f.title, topic: f.topic })));
  });

  it('question prints { family, seed, prompt, answer, explanation, spec }, the answer as { kind, value, display }', () => {
    const out = run(question, ['conv-params', '--seed', '12']).json as Record<string, unknown>;
    const v = variantOf('conv-params', 12);
    expect(out).toMatchObject({ family: 'conv-params', seed: 12, prompt: v.prompt, explanation: v.explanation, spec: v.spec });
    expect(out.answer).toEqual({ kind: 'count', value: v.answer.value, display: v.answer.display });
    expect(run(question, ['conv-params', '--seed=12', '--difficulty', '3']).json).toMatchObject({ difficulty: 3 });
  });

  const grade = gradeCommand;
  it('grade: right, a diagnosed mistake, and an unread answer that spends no attempt', () => {
    const v = variantOf('fc-params', 5);
    expect(run(grade, ['fc-params', '--seed', '5', '--answer', v.answer.display]).json).toMatchObject({ correct: true, misconception: null });
    const m = v.misconceptions[0]!;
    expect(run(grade, ['fc-params', '--seed', '5', '--answer', formatAnswer(m.value)]).json).toMatchObject({ correct: false, misconception: { id: m.id } });
    const unread = run(grade, ['fc-params', '--seed', '5', '--answer', '34,94']).json as { correct: boolean; readAs: unknown; feedback: string[] };
    expect(unread).toMatchObject({ correct: false, readAs: null, status: 'unread' });
    expect(unread.feedback[0]).toMatch(/^not read: /);
  });

  it('bad input is a UsageError that says what would be accepted', () => {
    expect(() => run(question, ['no-such-family', '--seed', '1'])).toThrow(UsageError);
    expect(() => run(question, ['no-such-family', '--seed', '1'])).toThrow(/families: conv-output-size/);
    expect(() => run(question, ['conv-params'])).toThrow(/missing --seed/);
    expect(() => run(question, ['conv-params', '--seed', '1.5'])).toThrow(/--seed must be an integer, got '1.5'/);
    expect(() => run(question, ['--seed', '1'])).toThrow(/missing <family>/);
    expect(() => run(question, ['conv-params', '--seed', '1', '--difficulty', '4'])).toThrow(/--difficulty must be 1, 2 or 3/);
    expect(() => run(grade, ['conv-params', '--seed', '1'])).toThrow(/missing --answer/);
  });

  it('seeds are 0…2^31−1, as in the web app: others are usage errors naming the range', () => {
    for (const seed of ['-1', '2147483648', '4294967295']) {
      expect(() => run(question, ['conv-params', `--seed=${seed}`])).toThrow(UsageError);
      expect(() => run(question, ['conv-params', `--seed=${seed}`])).toThrow(/--seed must be in 0…2147483647/);
      expect(() => run(grade, ['conv-params', `--seed=${seed}`, '--answer', '1'])).toThrow(/--seed must be in 0…2147483647/);
    }
    expect(run(question, ['conv-params', '--seed', '0']).json).toMatchObject({ seed: 0 });
    expect(run(question, ['conv-params', '--seed', '2147483647']).json).toMatchObject({ seed: 2147483647 });
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/stride.ts', 'grade', 'conv-params', '--seed', '-1', '--answer', '1', '--json'], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--seed must be in 0…2147483647/);
  });

  it('exits 2 on an unknown family, printing nothing on stdout', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/stride.ts', 'question', 'nope', '--seed', '1', '--json'], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown question family 'nope'/);
  });
});
