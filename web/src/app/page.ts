import { useEffect } from 'react';

/** Sets `document.title` to "<title> – Linkwork", prefixed with "Error: " while a form shows errors. */
export function usePageTitle(title: string, hasErrors = false): void {
  useEffect(() => {
    document.title = `${hasErrors ? 'Error: ' : ''}${title} – Linkwork`;
  }, [title, hasErrors]);
}

let stopWatching: (() => void) | null = null;

/**
 * Moves focus to the page's main heading so screen readers announce the new page. Pages that are
 * still loading have no heading yet, so wait a moment for it to appear.
 */
export function focusMainHeading(): void {
  stopWatching?.();
  const main = document.getElementById('maincontent');
  if (!main) return;
  const tryFocus = () => {
    const heading = main.querySelector<HTMLElement>('h1');
    if (!heading) return false;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    return true;
  };
  if (tryFocus()) return;
  const observer = new MutationObserver(() => {
    if (tryFocus()) stopWatching?.();
  });
  observer.observe(main, { childList: true, subtree: true });
  // Once the person starts doing something, leave their focus alone.
  const stop = () => stopWatching?.();
  const timer = window.setTimeout(stop, 5000);
  document.addEventListener('pointerdown', stop);
  document.addEventListener('keydown', stop);
  stopWatching = () => {
    observer.disconnect();
    window.clearTimeout(timer);
    document.removeEventListener('pointerdown', stop);
    document.removeEventListener('keydown', stop);
    stopWatching = null;
  };
}
