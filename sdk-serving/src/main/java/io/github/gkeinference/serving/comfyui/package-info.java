/** ComfyUI on a GPU behind an external, IAP-protected Gateway. */
@NullMarked
package io.github.gkeinference.serving.comfyui;

import org.jspecify.annotations.NullMarked;
