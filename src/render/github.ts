/**
 * GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), escaped as
 * GitHub's toolkit does (@actions/core toCommandValue/escapeData/escapeProperty): the message
 * escapes `%`, CR and LF; a property value also `:` and `,`.
 */
export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface AnnotationProps {
  file?: string;
  line?: number;
  title?: string;
}

export function annotation(level: AnnotationLevel, props: AnnotationProps, message: string): string {
  const parts = [
    ...(props.file !== undefined ? [`file=${escapeProperty(props.file)}`] : []),
    ...(props.line !== undefined ? [`line=${props.line}`] : []),
    ...(props.title !== undefined ? [`title=${escapeProperty(props.title)}`] : []),
  ];
  return `::${level}${parts.length ? ` ${parts.join(',')}` : ''}::${escapeData(message)}`;
}
