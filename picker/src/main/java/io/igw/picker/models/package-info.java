/**
 * The gateway's own {@code /v1/models}: the models a set of pools serves (each endpoint's polled
 * model list) and the client-facing names of their InferenceModels and rewrites, as one OpenAI
 * model list, answered from the picker's cached view, never by asking the model servers.
 */
package io.igw.picker.models;
