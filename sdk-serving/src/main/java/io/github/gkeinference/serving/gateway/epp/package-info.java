/**
 * The endpoint picker's typed configuration: plugins, scheduling profiles, data layer and flow
 * control, rendered as the {@code EndpointPickerConfig} file the picker reads, with the checks that
 * tie it to the model servers and to the picker image.
 */
@NullMarked
package io.github.gkeinference.serving.gateway.epp;

import org.jspecify.annotations.NullMarked;
