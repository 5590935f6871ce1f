// Package nn is a neural network library written from scratch, in
// the spirit of the book "Deep Learning from Scratch" (Koki Saitoh,
// O'Reilly Japan): every layer has a forward and a backward pass that a
// reader can follow, and the tests prove each backward pass against a
// numerical gradient.
//
// # Tensors
//
// A Tensor is a shape and a flat float32 slice, row-major; image batches are
// NCHW (batch, channels, height, width). The layers say what they compute
// in the book's terms; the arithmetic underneath (matrix products with
// SIMD kernels on amd64, im2col, pooling, the split across processors)
// lives in nn/internal/kernel, which falls back to gonum's BLAS on other
// CPUs and to blocked plain Go under WebAssembly.
//
// # Layers
//
// A Layer has Forward(x, mode) and Backward(dout). Forward keeps what
// Backward needs, and Backward returns dL/dx and stores the gradients of the
// layer's parameters in their Param.Grad. The layers are the book's:
// Affine, ReLU, Sigmoid, Conv (im2col and one matrix product), MaxPool,
// BatchNorm, Dropout (inverted, unlike the book's) and Flatten, followed by a
// LossLayer: SoftmaxCrossEntropy (the book's SoftmaxWithLoss) or SumSquares.
// Mode is the book's train_flg: Dropout and BatchNorm behave differently in
// Training and Inference.
//
// # Networks
//
// A Spec describes an architecture as plain values; Build makes a Net of it
// with He or Xavier initial weights. Net.Gradient runs forward, the loss and
// backward over the reversed layers; an Optimizer (SGD, Momentum, AdaGrad,
// RMSProp, Adam) then updates the parameters, and a Trainer runs whole
// epochs. Net.Predict classifies in Inference mode and, once warm,
// allocates nothing. Net.Explain classifies in Explanation mode, after
// which Net.InputGradient backpropagates one class's score to the input:
// which input values pushed the network toward that class. The book's networks and tegaki's own are built in: see
// Architecture and ArchitectureNames.
//
// # Model files
//
// Save and Load use the safetensors layout: a JSON header that holds the
// architecture and a format version, then little-endian float32 tensors, so
// numpy and PyTorch users can read the weights. Load rejects truncated,
// oversized, inconsistent or hostile files with an error and never panics.
//
// # Errors and panics
//
// Outside input (files, architectures from files) gives errors. Misuse by
// the programmer (a batch of the wrong shape, a label out of range) panics
// with a message that starts with "nn:", as gonum's mat does.
package nn
