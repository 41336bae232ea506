/**
 * The CodeMirror 6 editor of a bank's YAML: loaded by code-editor.tsx with a dynamic import, so
 * CodeMirror ships only to the edit page. Completion, hover and diagnostics come from the bank
 * JSON Schema (code-editor-schema.ts); the server's bank check errors are shown at their lines
 * beside them and cleared by the next edit.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab, simplifySelection, temporarilySetTabFocusMode } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { forceLinting, linter, lintGutter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { Annotation, EditorState, StateEffect, StateField } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, hoverTooltip, keymap, lineNumbers } from '@codemirror/view';
import bankSchemaFile from '../../../content/schema/bank.schema.json';
import type { BankError } from '../../../engine/bank/parse';
import { completionContext, describeAt, engineProblem, keysAt, mergeProblems, offsetOf, parseText, pathAtPosition, schemaProblems, valuesAt, withFamilies, type JsonSchema } from './code-editor-schema';

export interface BankEditorOptions {
  parent: HTMLElement;
  text: string;
  families: readonly { id: string; title: string }[];
  /** Index in the bank of the text's first item (a page of a long bank). */
  itemOffset: number;
  onChange: (text: string) => void;
  /** Ids of the label and the descriptions of the editing area (the textarea's, moved over). */
  labelledBy: string;
  describedBy: string;
}

export interface BankEditorHandle {
  /** Replaces the text (a new version loaded, an item appended) when it differs. */
  setText(text: string): void;
  /** The server's check of the current text. */
  setErrors(errors: readonly BankError[]): void;
  goTo(line: number, column: number): void;
  focus(): void;
  destroy(): void;
}

const LINT_DELAY_MS = 300;
const SOURCE_LABEL = { yaml: 'YAML', schema: 'bank schema', engine: 'bank check' } as const;

/** A text set from outside (a version loaded, an item appended): not an edit to report back. */
const fromOutside = Annotation.define<boolean>();

const setEngineErrors = StateEffect.define<readonly BankError[]>();
/** The server's errors for the text as it was checked: any edit makes them stale, so it clears them. */
const engineErrors = StateField.define<readonly BankError[]>({
  create: () => [],
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setEngineErrors)) return e.value;
    return tr.docChanged ? [] : value;
  },
});

export function createBankEditor(options: BankEditorOptions): BankEditorHandle {
  const schema: JsonSchema = withFamilies(bankSchemaFile as unknown as JsonSchema, options.families);

  const diagnostics = (view: EditorView): Diagnostic[] => {
    const text = view.state.doc.toString();
    const parsed = parseText(text);
    const engine = view.state.field(engineErrors).map((e) => engineProblem(text, parsed, e, options.itemOffset));
    return mergeProblems(text, schemaProblems(schema, text, parsed), engine).map((p) => ({
      from: Math.min(p.from, text.length),
      to: Math.min(p.to, text.length),
      severity: 'error',
      source: SOURCE_LABEL[p.source],
      message: p.message,
    }));
  };

  const complete = (ctx: CompletionContext): CompletionResult | null => {
    const text = ctx.state.doc.toString();
    const parsed = parseText(text);
    const at = completionContext(text, ctx.pos, parsed);
    if (!at) return null;
    const typed = ctx.pos - at.from;
    if (at.kind === 'value') {
      const values = valuesAt(schema, parsed.value, at.path);
      if (values.length === 0) return null;
      return { from: at.from, options: values.map((v) => ({ label: v.value, detail: v.label, type: 'enum' })), validFor: /^[\w-]*$/ };
    }
    if (typed === 0 && !ctx.explicit) return null;
    const value = parsed.value ?? parseText(text.slice(0, at.from)).value;
    const keys = keysAt(schema, value, at.path).filter((k) => !at.present.includes(k.key));
    if (keys.length === 0) return null;
    return {
      from: at.from,
      options: keys.map((k) => ({ label: k.key, apply: `${k.key}: `, type: 'property', detail: k.required ? 'required' : undefined, info: k.description })),
      validFor: /^[\w-]*$/,
    };
  };

  const hover = hoverTooltip((view, pos) => {
    const text = view.state.doc.toString();
    const parsed = parseText(text);
    const path = pathAtPosition(text, pos, parsed);
    if (!path) return null;
    const about = describeAt(schema, parsed.value, path);
    if (!about) return null;
    return {
      pos,
      above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'cm-schema-hover';
        // Text, never HTML: descriptions come from the schema file, but nothing here needs markup.
        dom.textContent = about;
        return { dom };
      },
    };
  });

  // Escape then Tab leaves the editor (Tab otherwise indents): WCAG 2.1.2, no keyboard trap.
  const escape = keymap.of([
    {
      key: 'Escape',
      run: (view) => {
        simplifySelection(view);
        temporarilySetTabFocusMode(view);
        return true;
      },
    },
  ]);

  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        bracketMatching(),
        closeBrackets(),
        indentUnit.of('  '),
        EditorState.tabSize.of(2),
        yaml(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        autocompletion({ override: [complete], icons: false }),
        engineErrors,
        linter(diagnostics, { delay: LINT_DELAY_MS }),
        lintGutter(),
        hover,
        escape,
        keymap.of([...closeBracketsKeymap, ...completionKeymap, ...lintKeymap, ...historyKeymap, ...defaultKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-labelledby': options.labelledBy, 'aria-describedby': options.describedBy, 'data-testid': 'bank-code-editor' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !update.transactions.some((tr) => tr.annotation(fromOutside))) options.onChange(update.state.doc.toString());
        }),
        EditorView.theme({
          '&': { border: '1px solid var(--line, #bbb)', borderRadius: '4px', fontSize: '0.85rem', background: 'var(--bg, #fff)' },
          '&.cm-focused': { outline: '2px solid var(--focus, #2563eb)', outlineOffset: '1px' },
          '.cm-scroller': { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, monospace", minHeight: '24rem', maxHeight: '70vh', lineHeight: '1.35' },
          '.cm-schema-hover': { maxWidth: '32rem', padding: '0.25rem 0.5rem' },
        }),
      ],
    }),
  });

  return {
    setText(text) {
      const current = view.state.doc.toString();
      if (text !== current) view.dispatch({ changes: { from: 0, to: current.length, insert: text }, annotations: fromOutside.of(true) });
    },
    setErrors(errors) {
      view.dispatch({ effects: setEngineErrors.of(errors) });
      forceLinting(view);
    },
    goTo(line, column) {
      const at = offsetOf(view.state.doc.toString(), line, column);
      view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: 'center' }) });
      view.focus();
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
