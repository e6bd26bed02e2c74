/**
 * The Learn channel: progress and streak on top, the lessons below. A lesson opens its text
 * and its quiz (see `QuizFlow`); a finished quiz reloads the progress. Everything comes from
 * the newest catalogue a sync brought (or the one bundled with the app) and the attempts in the
 * cache, this device's and those the sync brought from the learner's other devices, so it all
 * works offline; a finished sync (a new `version`) reloads the lessons, the progress and the
 * badges.
 */
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";

import type { BadgeStatus, LessonView } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { useLocale } from "../i18n";
import * as ipc from "../ipc";
import { localParagraphs, localText } from "../learn";
import { useResource } from "../resource";
import { QuizFlow } from "./QuizFlow";

interface LearnScreenProps {
  version: number;
  /** A lesson to open, such as the one a bill's page linked to; a new object opens it again. */
  openLesson?: { id: string } | null;
}

type View = { kind: "list" } | { kind: "lesson"; id: string } | { kind: "quiz"; id: string };

export function LearnScreen({ version, openLesson = null }: LearnScreenProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [saved, setSaved] = useState(0);
  const [view, setView] = useState<View>(
    openLesson === null ? { kind: "list" } : { kind: "lesson", id: openLesson.id },
  );
  const lessons = useResource(ipc.learnLessons, version);
  const progress = useResource(ipc.learnProgress, version * 1000 + saved);
  const loadBadges = useCallback(() => ipc.learnBadges(), []);
  const badges = useResource<BadgeStatus[]>(loadBadges, version);

  // A new request from a bill's page opens its lesson, whatever was open before.
  const [requested, setRequested] = useState(openLesson);
  if (openLesson !== requested) {
    setRequested(openLesson);
    if (openLesson !== null) setView({ kind: "lesson", id: openLesson.id });
  }

  if (lessons.value === undefined) {
    return lessons.error !== null ? (
      <ErrorNotice error={lessons.error} onRetry={lessons.retry} />
    ) : (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }

  const find = (id: string): LessonView | undefined => lessons.value?.find((l) => l.id === id);
  const badgeTitle = (id: string) => {
    const badge = badges.value?.find((b) => b.badge.id === id)?.badge;
    return badge === undefined ? id : localText(badge.title, locale);
  };
  const p = progress.value;

  const header = (
    <div className="card learn-progress" data-testid="learn-progress">
      <div>
        <span className="muted">{t("learn.xp")}</span>
        <strong data-testid="learn-xp" data-value={p?.xp ?? 0}>
          {p?.xp ?? 0}
        </strong>
      </div>
      <div>
        <span className="muted">{t("learn.streak.label")}</span>
        <strong data-testid="learn-streak" data-value={p?.streak.current ?? 0}>
          {t("learn.streak.current", { count: p?.streak.current ?? 0 })}
        </strong>
        <span className="muted">
          {t("learn.streak.longest", { count: p?.streak.longest ?? 0 })}
        </span>
      </div>
      <div>
        <span className="muted">{t("learn.mastered")}</span>
        <strong data-testid="learn-mastered" data-value={p?.mastered ?? 0}>
          {t("learn.masteredOf", { n: p?.mastered ?? 0, total: lessons.value.length })}
        </strong>
      </div>
    </div>
  );

  if (view.kind === "quiz") {
    const lesson = find(view.id);
    if (lesson !== undefined) {
      return (
        <div className="learn-screen">
          <h2>{localText(lesson.title, locale)}</h2>
          <QuizFlow
            key={lesson.id}
            lesson={lesson}
            badgeTitle={badgeTitle}
            onFinished={() => {
              setSaved((n) => n + 1);
            }}
            onClose={() => {
              setView({ kind: "list" });
            }}
          />
        </div>
      );
    }
  }

  if (view.kind === "lesson") {
    const lesson = find(view.id);
    if (lesson !== undefined) {
      return (
        <article className="learn-screen lesson" data-testid="lesson" data-lesson-id={lesson.id}>
          <div className="toolbar">
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                setView({ kind: "list" });
              }}
            >
              ← {t("learn.backToLessons")}
            </button>
          </div>
          <h2>{localText(lesson.title, locale)}</h2>
          {localParagraphs(lesson.body, locale).map((para) => (
            <p key={para}>{para}</p>
          ))}
          <button
            type="button"
            className="button"
            data-testid="quiz-start"
            onClick={() => {
              setView({ kind: "quiz", id: lesson.id });
            }}
          >
            {t("learn.startQuiz", { count: lesson.questions.length })}
          </button>
        </article>
      );
    }
  }

  return (
    <div className="learn-screen" data-testid="learn">
      {header}
      {progress.error !== null && <ErrorNotice error={progress.error} onRetry={progress.retry} />}
      <ul className="lesson-list">
        {lessons.value.map((lesson) => {
          const state = p?.lessons.find((l) => l.lesson_id === lesson.id);
          const status =
            state === undefined || state.attempts === 0
              ? "new"
              : state.mastered
                ? "mastered"
                : state.passed
                  ? "passed"
                  : "tried";
          return (
            <li key={lesson.id}>
              <button
                type="button"
                className="card lesson-card"
                data-testid="lesson-card"
                data-lesson-id={lesson.id}
                data-status={status}
                onClick={() => {
                  setView({ kind: "lesson", id: lesson.id });
                }}
              >
                <strong>{localText(lesson.title, locale)}</strong>
                <span>{localText(lesson.summary, locale)}</span>
                <span className="muted">
                  {t(`learn.status.${status}`)}
                  {state !== undefined && state.attempts > 0
                    ? ` · ${t("learn.best", { correct: state.best_correct, total: state.total })}`
                    : ""}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
