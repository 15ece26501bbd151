import { getCatalog, type Catalog } from '../catalog/index.js';
import { loadLearnedFile } from '../config/learned.js';
import { DoctorError, type ErrorText } from '../errors.js';
import { errorText } from '../render/messages.js';

/**
 * The bundled catalog with the learned file: the observed API → scope pairs (`diagnose --learn`)
 * and the kinds dws read (`check`). A damaged file is ignored, said in one line.
 */
export function learnedCatalog(out: { info(text: ErrorText): void }): Catalog {
  try {
    const learned = loadLearnedFile();
    return getCatalog().withLearned(learned.entries, learned.scopeKinds);
  } catch (error) {
    const why = error instanceof DoctorError && error.text ? { id: error.text.id, params: error.text.params } : (error as Error).message;
    out.info(errorText('note.learned-ignored', { error: why }));
    return getCatalog();
  }
}
