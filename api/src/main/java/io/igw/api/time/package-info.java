/** Time the code is given rather than reads: a clock tests and the routing lab move by hand. */
package io.igw.api.time;
