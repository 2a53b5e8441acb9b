import { useQueries } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { ApiProblem, api } from '../../app/api.ts';
import { Loading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import type { SourceSummary } from './coding-queries.ts';
import { WithStudy } from './research-parts.tsx';
import { type Study, useStudies } from './research-queries.ts';

/*
 * Pieces the coding pages share in the browser: a code's colour swatch, reading a selection of a text cut into
 * segments (see coding-text.ts) back as code point offsets, and finding the study a source belongs to.
 */

/** A small square of a code's colour beside its name (decoration: the name says which code it is). */
export function Swatch({ colour }: { colour: string }) {
  return <span className="app-coding-swatch" style={{ backgroundColor: colour }} aria-hidden="true" />;
}

/** The code point offset of a point in a text whose segments carry `data-s` (their start offset). */
function offsetOfPoint(container: Element, node: Node, offset: number, side: 'start' | 'end'): number | null {
  let element: Element | null = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  if (!element || !container.contains(element)) return null;
  const segment = element.closest<HTMLElement>('[data-s]');
  if (segment && container.contains(segment)) {
    const start = Number(segment.dataset.s);
    if (node.nodeType === Node.TEXT_NODE) {
      const before = (node.textContent ?? '').slice(0, offset);
      return start + [...before].length;
    }
    // A point between a segment's children: before them all or after them all.
    const length = [...(segment.textContent ?? '')].length;
    return offset === 0 ? start : start + length;
  }
  // A point outside any segment (between turns): the nearest segment after it, or before it for an end.
  const segments = [...container.querySelectorAll<HTMLElement>('[data-s]')];
  if (segments.length === 0) return null;
  const range = document.createRange();
  range.setStart(node, offset);
  element = null;
  if (side === 'start') {
    const after = segments.find((s) => range.comparePoint(s, 0) >= 0);
    return after ? Number(after.dataset.s) : null;
  }
  const before = [...segments].reverse().find((s) => range.comparePoint(s, 0) <= 0);
  return before ? Number(before.dataset.s) + [...(before.textContent ?? '')].length : null;
}

/** The current selection as code point offsets [start, end) into the text shown in `container`, if inside it. */
export function selectionIn(container: Element | null): { start: number; end: number } | null {
  const selection = window.getSelection();
  if (!container || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== container) {
    return null;
  }
  const start = offsetOfPoint(container, range.startContainer, range.startOffset, 'start');
  const end = offsetOfPoint(container, range.endContainer, range.endOffset, 'end');
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

// ---------------------------------------------------------------------------------------------------------------
// The study a source belongs to

/**
 * A source's page once its study is known: from `?study=` in the address (links always carry it), or else found
 * among the studies the person is on.
 */
export function WithSourceStudy({
  sourceId,
  children,
}: {
  sourceId: string;
  children: (study: Study) => ReactNode;
}) {
  const [params] = useSearchParams();
  const given = params.get('study');
  const studies = useStudies();
  const lists = useQueries({
    queries: (given ? [] : (studies.data ?? [])).map((s) => ({
      queryKey: ['research', 'study', s.id, 'sources'],
      queryFn: async () =>
        (
          await api.get<{ items: SourceSummary[] }>(
            `/api/research/studies/${encodeURIComponent(s.id)}/sources`,
          )
        ).items,
    })),
  });
  if (given) return <WithStudy id={given}>{children}</WithStudy>;
  if (studies.isPending || lists.some((l) => l.isPending)) return <Loading />;
  if (studies.isError) return <ProblemPage error={studies.error} />;
  const index = lists.findIndex((l) => l.data?.some((s) => s.id === sourceId));
  const found = index >= 0 ? studies.data[index] : undefined;
  if (!found) {
    return (
      <ProblemPage
        error={
          new ApiProblem({
            status: 404,
            title: 'Not found',
            detail: 'There is no source with this id in a study you are on.',
          })
        }
      />
    );
  }
  return <WithStudy id={found.id}>{children}</WithStudy>;
}
