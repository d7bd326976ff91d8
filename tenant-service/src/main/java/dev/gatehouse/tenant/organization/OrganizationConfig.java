package dev.gatehouse.tenant.organization;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Organization settings, under {@code gatehouse.tenant.organizations}.
 *
 * @param selfService whether any signed-in user may create an organization (becoming its admin); when false only
 *                    platform admins can
 */
@ConfigurationProperties("gatehouse.tenant.organizations")
public record OrganizationConfig(@Bindable(defaultValue = "true") boolean selfService) {
}
