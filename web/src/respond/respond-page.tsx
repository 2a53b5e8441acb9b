import { type ReactNode, useEffect, useRef, useState } from 'react';
import { NhsLogo } from '../components/nhs-logo.tsx';
import {
  type Answers,
  itemInputId,
  Questionnaire,
  type QuestionnaireDefinition,
  unanswered,
} from '../components/questionnaire.tsx';

/*
 * The person's own questionnaire, opened from a self-completion link (/r/<token>) on their phone. No sign-in: the
 * token is the key, sent in request bodies only. One questionnaire a page, answers saved as they go (so they can
 * come back to the link another day), a check page, then thanks. Kept free of the staff app's libraries so it
 * loads fast on a phone.
 */

interface Opened {
  service: string;
  timepoint: string;
  expiresAt: string;
  questionnaires: QuestionnaireDefinition[];
  progress: Record<string, Answers>;
}

interface Problem {
  status: number;
  detail?: string;
  reason?: string;
  errors?: { field: string; message: string }[];
}

type Stage =
  | { kind: 'loading' }
  | { kind: 'problem'; problem: Problem }
  | { kind: 'form'; step: number }
  | { kind: 'check' }
  | { kind: 'thanks' };

const token = decodeURIComponent(window.location.pathname.replace(/^\/r\//, '').split('/')[0] ?? '');

function newSubmissionId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function call<T>(method: 'POST' | 'PUT', url: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw {
      status: 0,
      detail: 'We could not reach the service. Check your internet connection and try again.',
    };
  }
  const json = (await response.json().catch(() => ({}))) as T & Problem;
  if (!response.ok) throw { ...json, status: response.status } satisfies Problem;
  return json;
}

const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(iso));

function Header({ service }: { service: string }) {
  return (
    <header className="nhsuk-header">
      <div className="nhsuk-header__container nhsuk-width-container">
        <div className="nhsuk-header__service">
          <span className="nhsuk-header__service-logo">
            <NhsLogo />
            <span className="nhsuk-header__service-name">{service}</span>
          </span>
        </div>
      </div>
    </header>
  );
}

function Shell({ service, children }: { service: string; children: ReactNode }) {
  return (
    <>
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <Header service={service} />
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper" id="maincontent">
          <div className="nhsuk-grid-row">
            <div className="nhsuk-grid-column-two-thirds">{children}</div>
          </div>
        </main>
      </div>
      <footer className="nhsuk-footer">
        <div className="nhsuk-width-container">
          <div className="nhsuk-footer__meta">
            <p className="nhsuk-body-s">
              Your answers go only to your link worker’s team. If you need help now, call NHS 111 or, in an
              emergency, 999.
            </p>
          </div>
        </div>
      </footer>
    </>
  );
}

/**
 * Moves focus to the page's heading when the person moves to another step, so screen readers announce it — not when
 * the page first appears (from loading), where focus stays at the start of the page as on any page load.
 */
function useHeadingFocus(key: string) {
  const ref = useRef<HTMLHeadingElement>(null);
  const previous = useRef<string | null>(null);
  useEffect(() => {
    const from = previous.current;
    previous.current = key;
    if (from === null || from === 'loading') return;
    ref.current?.focus();
    window.scrollTo(0, 0);
  }, [key]);
  return ref;
}

function problemPage(problem: Problem): { title: string; body: ReactNode } {
  if (problem.status === 410 && problem.reason === 'used') {
    return {
      title: 'You have already sent your answers',
      body: <p>Thank you. Your link worker has your answers. You do not need to do anything else.</p>,
    };
  }
  if (problem.status === 410 && problem.reason === 'expired') {
    return {
      title: 'This link has expired',
      body: (
        <p>
          {problem.detail ?? 'Ask your link worker for a new link if you would still like to fill it in.'}
        </p>
      ),
    };
  }
  if (problem.status === 410) {
    return {
      title: 'This link has been cancelled',
      body: <p>If you were asked to fill in a questionnaire, ask your link worker for a new link.</p>,
    };
  }
  if (problem.status === 404 || problem.status === 400) {
    return {
      title: 'We could not find this questionnaire',
      body: (
        <>
          <p>Check you used the whole link from your message, or scanned the whole QR code.</p>
          <p>If it still does not work, ask your link worker for a new link.</p>
        </>
      ),
    };
  }
  if (problem.status === 429) {
    return {
      title: 'Please wait before trying again',
      body: <p>{problem.detail ?? 'There have been too many attempts. Wait 15 minutes and try again.'}</p>,
    };
  }
  return {
    title: 'Sorry, there is a problem with the service',
    body: (
      <>
        <p>{problem.detail ?? 'Try again later.'}</p>
        <p>Your answers so far are saved on this link.</p>
      </>
    ),
  };
}

export function RespondPage() {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'loading' });
  const [answers, setAnswers] = useState<Record<string, Answers>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [sendProblem, setSendProblem] = useState<string | null>(null);
  const [submissionId] = useState(newSubmissionId);
  const summaryRef = useRef<HTMLDivElement>(null);
  const headingRef = useHeadingFocus(
    stage.kind === 'form' ? `form-${stage.step}` : stage.kind === 'problem' ? 'problem' : stage.kind,
  );

  useEffect(() => {
    call<Opened>('POST', '/api/completion/open', { token })
      .then((o) => {
        setOpened(o);
        setAnswers(o.progress ?? {});
        setStage({ kind: 'form', step: 0 });
        document.title = `Your questionnaire – ${o.service}`;
      })
      .catch((problem: Problem) => setStage({ kind: 'problem', problem }));
  }, []);

  useEffect(() => {
    if (Object.keys(errors).length > 0) summaryRef.current?.focus();
  }, [errors]);

  const service = opened?.service ?? 'Social prescribing';

  if (stage.kind === 'loading') {
    return (
      <Shell service={service}>
        <p className="nhsuk-body" role="status">
          Opening your questionnaire…
        </p>
      </Shell>
    );
  }
  if (stage.kind === 'problem') {
    const { title, body } = problemPage(stage.problem);
    return (
      <Shell service={service}>
        <h1 ref={headingRef} tabIndex={-1}>
          {title}
        </h1>
        {body}
      </Shell>
    );
  }
  if (!opened) return null;
  const questionnaires = opened.questionnaires;

  const save = (next: Record<string, Answers>) =>
    call('PUT', '/api/completion/progress', { token, answers: next }).catch(() => {
      // Saving on the way is a convenience: the answers are still on the page and sent at the end.
    });

  if (stage.kind === 'thanks') {
    return (
      <Shell service={service}>
        <div className="nhsuk-panel">
          <h1 className="nhsuk-panel__title" ref={headingRef} tabIndex={-1}>
            Thank you
          </h1>
          <div className="nhsuk-panel__body">Your answers have been sent to your link worker.</div>
        </div>
        <p>You can close this page. The link will not work again.</p>
        <p>If anything you answered worries you, talk to your link worker or your GP practice.</p>
      </Shell>
    );
  }

  if (stage.kind === 'check') {
    const send = async () => {
      if (sending) return;
      setSending(true);
      setSendProblem(null);
      try {
        await call('POST', '/api/completion/submit', { token, answers, submissionId });
        setStage({ kind: 'thanks' });
      } catch (e) {
        const problem = e as Problem;
        if (problem.status === 410 || problem.status === 404) setStage({ kind: 'problem', problem });
        else setSendProblem(problem.detail ?? 'Your answers could not be sent. Try again.');
      } finally {
        setSending(false);
      }
    };
    return (
      <Shell service={service}>
        <h1 ref={headingRef} tabIndex={-1}>
          Check your answers
        </h1>
        {sendProblem ? (
          <div className="nhsuk-error-summary" role="alert" tabIndex={-1}>
            <h2 className="nhsuk-error-summary__title">There is a problem</h2>
            <div className="nhsuk-error-summary__body">
              <p>{sendProblem}</p>
            </div>
          </div>
        ) : null}
        {questionnaires.map((q, step) => (
          <div key={q.code}>
            <h2 className="nhsuk-heading-m">{q.title}</h2>
            <dl className="nhsuk-summary-list">
              {q.items.map((item) => {
                const value = answers[q.code]?.[item.linkId];
                const label = item.options.find((o) => o.value === value)?.label;
                return (
                  <div className="nhsuk-summary-list__row" key={item.linkId}>
                    <dt className="nhsuk-summary-list__key">{item.text}</dt>
                    <dd className="nhsuk-summary-list__value">{label ?? 'Not answered'}</dd>
                    <dd className="nhsuk-summary-list__actions">
                      <button
                        type="button"
                        className="app-link-button"
                        onClick={() => setStage({ kind: 'form', step })}
                      >
                        Change<span className="nhsuk-u-visually-hidden"> {item.text}</span>
                      </button>
                    </dd>
                  </div>
                );
              })}
            </dl>
          </div>
        ))}
        <p>When you send your answers, your link worker can see them. You cannot change them after.</p>
        <button className="nhsuk-button" type="button" onClick={send} disabled={sending}>
          {sending ? 'Sending…' : 'Send my answers'}
        </button>
      </Shell>
    );
  }

  const step = stage.step;
  const q = questionnaires[step]!;
  const given = answers[q.code] ?? {};
  const missing = unanswered(q, given);
  const next = (skip: boolean) => {
    if (missing.length > 0 && !skip) {
      setErrors(
        Object.fromEntries(missing.map((i) => [i.linkId, 'Choose an answer, or skip this question below'])),
      );
      return;
    }
    setErrors({});
    void save(answers);
    setStage(step + 1 < questionnaires.length ? { kind: 'form', step: step + 1 } : { kind: 'check' });
  };
  const errorItems = Object.keys(errors);
  return (
    <Shell service={service}>
      {step > 0 ? (
        <button
          type="button"
          className="nhsuk-back-link"
          onClick={() => {
            setErrors({});
            setStage({ kind: 'form', step: step - 1 });
          }}
        >
          Back
        </button>
      ) : null}
      {errorItems.length > 0 ? (
        <div
          className="nhsuk-error-summary"
          aria-labelledby="error-summary-title"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
        >
          <h2 className="nhsuk-error-summary__title" id="error-summary-title">
            There is a problem
          </h2>
          <div className="nhsuk-error-summary__body">
            <ul className="nhsuk-list nhsuk-error-summary__list">
              {missing
                .filter((i) => errors[i.linkId])
                .map((i) => (
                  <li key={i.linkId}>
                    <a href={`#${itemInputId(`${q.code}-`, i.linkId)}`}>Answer: {i.text}</a>
                  </li>
                ))}
            </ul>
          </div>
        </div>
      ) : null}
      <span className="nhsuk-caption-l">
        Questionnaire {step + 1} of {questionnaires.length}
      </span>
      <h1 ref={headingRef} tabIndex={-1}>
        {q.title}
      </h1>
      {step === 0 ? (
        <p className="nhsuk-body">
          Your link worker at {opened.service} asked you to answer these questions. It takes about 2 minutes.
          Your answers are saved as you go: you can come back to this link until {longDate(opened.expiresAt)}.
        </p>
      ) : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          next(false);
        }}
      >
        <Questionnaire
          questionnaire={q}
          showTitle={false}
          answers={given}
          errors={errors}
          onAnswer={(linkId, value) => {
            setAnswers((a) => ({ ...a, [q.code]: { ...a[q.code], [linkId]: value } }));
            setErrors((e) => {
              const { [linkId]: _, ...rest } = e;
              return rest;
            });
          }}
        />
        {errorItems.length > 0 ? (
          <p>
            <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => next(true)}>
              Skip the questions I have not answered
            </button>
          </p>
        ) : null}
        <button className="nhsuk-button" type="submit">
          Continue
        </button>
      </form>
    </Shell>
  );
}
