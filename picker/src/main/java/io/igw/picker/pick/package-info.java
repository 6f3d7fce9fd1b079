/**
 * The HTTP pick API NGINX's njs calls (docs/pick-api.md): a thin adapter over the core's {@code
 * PickService}. {@link io.igw.picker.pick.PickApi} turns a {@code POST /pick} into a {@code
 * PickRequest} and the result into answer headers; {@link io.igw.picker.pick.PickFailureResponse}
 * is the one place a failure becomes a status and a body.
 */
package io.igw.picker.pick;
