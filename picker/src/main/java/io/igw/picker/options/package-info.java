/**
 * Reading the picker's options from JSON. Each concern's options class (pick API, collector,
 * completion feed, flow control, ext_proc, the core's picks) lives with the code it configures;
 * this package, at the bottom of the picker, only reads their fields, naming the one that is wrong.
 */
package io.igw.picker.options;
