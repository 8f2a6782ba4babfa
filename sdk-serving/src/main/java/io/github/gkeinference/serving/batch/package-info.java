/** Offline batch inference: vLLM run over a dataset in Cloud Storage by a Job or a JobSet. */
@NullMarked
package io.github.gkeinference.serving.batch;

import org.jspecify.annotations.NullMarked;
