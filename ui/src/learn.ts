/**
 * The education channel's content in the UI language: every text carries zh-CN and en.
 */
import type { LessonView, Paragraphs, Text } from "./bindings";

/** `text` in the UI language (`zh*` picks Chinese, anything else English). */
export function localText(text: Text, locale: string): string {
  return locale.toLowerCase().startsWith("zh") ? text["zh-CN"] : text.en;
}

/** A lesson's paragraphs in the UI language. */
export function localParagraphs(body: Paragraphs, locale: string): string[] {
  return locale.toLowerCase().startsWith("zh") ? body["zh-CN"] : body.en;
}

/** The lesson that explains a bill category: the first that names it. */
export function lessonForCategory(
  lessons: readonly LessonView[],
  category: string,
): LessonView | undefined {
  return lessons.find((lesson) => lesson.categories.some((c) => c === category));
}

/** An SVG document as an image URL; an `img` never runs what an SVG might contain. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
