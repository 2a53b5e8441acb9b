import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { ramesesAnswers } from '../../../../src/modules/research/contract.ts';
import type { FieldProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, SuccessBanner } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { AnalysisLinks } from './realist-parts.tsx';
import {
  type RamesesAnswer,
  type RamesesChecklist,
  type RamesesItem,
  realistPaths,
  useRameses,
  useSaveRameses,
} from './realist-queries.ts';
import { canWrite, showProblem, WithStudy } from './research-parts.tsx';
import type { Study } from './research-queries.ts';

/*
 * The RAMESES II reporting checklist for realist evaluations (Wong et al. 2016): its 20 items by section, each
 * marked reported yes, no or unclear, where in the write-up, and a note; saved together, and downloaded as a PDF.
 * Fields are named `item6-reported`, `item6-location`, `item6-note`, so problems land beside their item.
 */

type Answer = (typeof ramesesAnswers)[number];
const sectionId = (section: string) => `section-${section.toLowerCase().replace(/\W+/g, '-')}`;
const answerLabels: Record<Answer, string> = { yes: 'Yes', no: 'No', unclear: 'Unclear' };

function ItemFields({ item, errors }: { item: RamesesItem; errors: FormErrors }) {
  const id = `item${item.item}`;
  const headingId = `${id}-heading`;
  const about = (
    <span className="nhsuk-u-visually-hidden">
      {' '}
      (item {item.item}, {item.title.toLowerCase()})
    </span>
  );
  return (
    <div className="app-research-group app-realist-item">
      <h3 className="nhsuk-heading-s" id={headingId}>
        {item.item}. {item.title}
      </h3>
      <Radios
        id={`${id}-reported`}
        legend={<>Reported?{about}</>}
        inline
        small
        items={ramesesAnswers.map((a) => ({ value: a, label: answerLabels[a] }))}
        defaultValue={item.reported}
        error={errors.messageFor(`${id}.reported`)}
      />
      <TextInput
        id={`${id}-location`}
        label={<>Where{about}</>}
        hint={
          item.suggestedLocation
            ? `Section and page of the report. Linkwork keeps what it draws on under ${item.suggestedLocation}`
            : 'Section and page of the report'
        }
        defaultValue={item.location ?? ''}
        error={errors.messageFor(`${id}.location`)}
      />
      <Textarea
        id={`${id}-note`}
        label={<>Note (optional){about}</>}
        rows={2}
        defaultValue={item.note ?? ''}
        error={errors.messageFor(`${id}.note`)}
      />
    </div>
  );
}

/** The items answered, and a problem for each item with a place or a note but no answer. */
function readAnswers(form: FormData, items: RamesesItem[]) {
  const answers: RamesesAnswer[] = [];
  const problems: FieldProblem[] = [];
  for (const i of items) {
    const id = `item${i.item}`;
    const reported = String(form.get(`${id}-reported`) ?? '') as Answer | '';
    const location = String(form.get(`${id}-location`) ?? '').trim() || null;
    const note = String(form.get(`${id}-note`) ?? '').trim() || null;
    if (!reported) {
      if (location || note) {
        problems.push({
          field: `${id}.reported`,
          message: `Say whether item ${i.item} (${i.title.toLowerCase()}) is reported: yes, no or unclear`,
        });
      }
      continue;
    }
    if (location && location.length > 500) {
      problems.push({
        field: `${id}.location`,
        message: `Keep where item ${i.item} is reported to 500 characters or fewer`,
      });
    }
    if (note && note.length > 4000) {
      problems.push({
        field: `${id}.note`,
        message: `Keep the note on item ${i.item} to 4,000 characters or fewer`,
      });
    }
    answers.push({ item: i.item, reported, location, note });
  }
  return { answers, problems };
}

function Checklist({ study, checklist }: { study: Study; checklist: RamesesChecklist }) {
  const save = useSaveRameses(study.id);
  const errors = useFormErrors({});
  const [notice, setNotice] = useState<string | null>(null);
  const title = 'RAMESES II reporting checklist';
  usePageTitle(`${title} – ${study.title}`, errors.hasErrors);
  const writer = canWrite(study.myRole);
  const sections = [...new Set(checklist.items.map((i) => i.section))];
  const answered = checklist.items.filter((i) => i.reported !== null).length;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    const { answers, problems } = readAnswers(new FormData(event.currentTarget), checklist.items);
    setNotice(null);
    if (problems.length === 0 && answers.length === 0) {
      return errors.show([{ field: 'item1.reported', message: 'Answer at least one item before saving' }]);
    }
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    save.mutate(answers, {
      onSuccess: (saved) => {
        const n = saved.items.filter((i) => i.reported !== null).length;
        setNotice(`Checklist saved: ${n} of ${saved.items.length} items answered.`);
        window.scrollTo(0, 0);
      },
      // The API's `items.3.reported` is the 4th item sent: name it by its item number.
      onError: (error) =>
        showProblem(errors, error, (field) => {
          const match = /^items\.(\d+)\.(\w+)/.exec(field);
          const sent = match ? answers[Number(match[1])] : undefined;
          return sent && match ? `item${sent.item}.${match[2]}` : field;
        }),
    });
  };

  return (
    <>
      <BackLink to={realistPaths.theory(study.id)}>Back to the programme theory</BackLink>
      {notice && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{notice}</p>
        </SuccessBanner>
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>{title}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <AnalysisLinks studyId={study.id} current="rameses" />
          <p>
            The 20 items a realist evaluation’s report should cover (Wong G et al. RAMESES II reporting
            standards for realist evaluations. BMC Medicine 2016;14:96). Mark each as reported or not, and say
            where.
          </p>
          <p>
            {answered} of {checklist.items.length} items answered.{' '}
            <a href={realistPaths.ramesesPdf(study.id)} download>
              Download the checklist (PDF)
            </a>
          </p>
          {writer ? (
            <form onSubmit={submit} noValidate>
              {sections.map((section) => (
                <section key={section} aria-labelledby={sectionId(section)}>
                  <h2 className="nhsuk-heading-m" id={sectionId(section)}>
                    {section}
                  </h2>
                  {checklist.items
                    .filter((i) => i.section === section)
                    .map((i) => (
                      <ItemFields key={i.item} item={i} errors={errors} />
                    ))}
                </section>
              ))}
              <button className="nhsuk-button" type="submit" disabled={save.isPending}>
                {save.isPending ? 'Saving…' : 'Save checklist'}
              </button>
            </form>
          ) : (
            <>
              <p>Leads and researchers fill in the checklist; you can read it and download it.</p>
              {sections.map((section) => (
                <ResponsiveTable
                  key={section}
                  caption={section}
                  items={checklist.items.filter((i) => i.section === section)}
                  itemKey={(i) => String(i.item)}
                  columns={[
                    { header: 'Item', cell: (i) => `${i.item}. ${i.title}` },
                    {
                      header: 'Reported',
                      cell: (i) => (i.reported ? answerLabels[i.reported] : 'Not answered'),
                    },
                    { header: 'Where', cell: (i) => i.location ?? '' },
                    { header: 'Note', cell: (i) => i.note ?? '' },
                  ]}
                />
              ))}
            </>
          )}
        </div>
      </div>
    </>
  );
}

function RamesesView({ study }: { study: Study }) {
  const checklist = useRameses(study.id);
  if (checklist.isPending) return <Loading what="the checklist" />;
  if (checklist.isError) return <ProblemPage error={checklist.error} />;
  return <Checklist study={study} checklist={checklist.data} />;
}

export function RealistRamesesPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <RamesesView study={study} />}</WithStudy>;
}
