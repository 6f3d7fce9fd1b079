/**
 * Tenancy: who a request is for ({@link io.igw.picker.tenancy.TenantKey}), the key token accounting
 * and token rate limits share. At the bottom of the picker: it imports nothing of it.
 */
package io.igw.picker.tenancy;
