import { useEffect, type RefObject } from 'react';

/**
 * Keyboard focus that the page takes away (the focused button is removed or disabled by the
 * update it started: "Check", "Next card", a form that navigates) falls to <body>, and the
 * next Tab starts again from the top of the page. These put it back somewhere that makes sense.
 */

/** The attribute the keeper puts on the element it gave the focus to, so that a better claimant may take it over. */
const KEPT = 'data-focus-kept';

/** The element focused last (by a person, a component or the keeper); kept up by FocusKeeper. */
let lastFocused: Element | null = null;

/**
 * Whether the focus was taken away: it is on <body> while the element that had it can no longer
 * hold it, or it is on the keeper's stand-in. Not at a page's load, when nothing had the focus yet.
 */
export function focusIsLost(): boolean {
  const active = document.activeElement;
  if (active?.hasAttribute(KEPT)) return true;
  return (!active || active === document.body) && lastFocused !== null && !canHoldFocus(lastFocused);
}

function canHoldFocus(el: Element): boolean {
  return el.isConnected && !(el as HTMLButtonElement).disabled && !el.closest('fieldset:disabled, [hidden], [inert]');
}

/** Focuses `el`, making it focusable by script when it is not a control. */
function focusOn(el: HTMLElement, kept: boolean): void {
  if (!el.hasAttribute('tabindex') && el.tabIndex < 0) el.setAttribute('tabindex', '-1');
  if (kept) el.setAttribute(KEPT, '');
  el.focus();
}

/** Moves the focus to `ref` when it appears (or `when` turns true) and the focus is lost, e.g. a result that replaced the button that asked for it. */
export function useFocusWhenLost(ref: RefObject<HTMLElement>, when = true): void {
  useEffect(() => {
    const el = ref.current;
    if (!when || !el || !focusIsLost()) return;
    document.activeElement?.removeAttribute(KEPT);
    focusOn(el, false);
  }, [ref, when]);
}

/**
 * Watches the page: when the element that had the focus goes away (removed, disabled, hidden),
 * the page's main heading takes it after the update has settled: a task later, so that a
 * component's own claim (useFocusWhenLost, autoFocus) comes first, and a later claim still wins.
 * A screen reader then reads where the person is, and Tab goes on from there. Mounted once, in
 * the root layout.
 */
export function FocusKeeper() {
  useEffect(() => {
    lastFocused = document.activeElement === document.body ? null : document.activeElement;
    let pending = 0;
    const onFocusIn = (e: FocusEvent) => {
      if (!(e.target instanceof Element)) return;
      // Focus a person (or a component) moved: the keeper's stand-in is no longer one.
      document.querySelectorAll(`[${KEPT}]`).forEach((el) => el !== e.target && el.removeAttribute(KEPT));
      lastFocused = e.target;
    };
    const check = () => {
      pending = 0;
      if (!focusIsLost() || document.activeElement?.hasAttribute(KEPT)) return;
      lastFocused = null;
      const heading = document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('main');
      if (heading) focusOn(heading, true);
    };
    const observer = new MutationObserver(() => {
      if (!pending && lastFocused && !canHoldFocus(lastFocused)) pending = window.setTimeout(check, 0);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled', 'hidden', 'inert'] });
    document.addEventListener('focusin', onFocusIn);
    return () => {
      observer.disconnect();
      document.removeEventListener('focusin', onFocusIn);
      if (pending) clearTimeout(pending);
    };
  }, []);
  return null;
}
