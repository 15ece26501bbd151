import { getCatalog, type Catalog } from '../catalog/index.js';
import { loadLearnedFile } from '../config/learned.js';

/**
 * The bundled catalog with the learned file: the observed API → scope pairs (`diagnose --learn`)
 * and the kinds dws read (`check`). A damaged file is ignored, said in one line.
 */
export function learnedCatalog(out: { info(text: string): void }): Catalog {
  try {
    const learned = loadLearnedFile();
    return getCatalog().withLearned(learned.entries, learned.scopeKinds);
  } catch (error) {
    out.info(`dingtalk-doctor: ignoring the learned file: ${(error as Error).message}`);
    return getCatalog();
  }
}
