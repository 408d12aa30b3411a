/**
 * Model formats that come as one file, by the file's name: a PyTorch state_dict (torch.save's
 * .pt/.pth, or .safetensors), an ONNX graph, or a Keras model (Keras 3's .keras, legacy .h5). (A TensorFlow.js model is a folder: model.json and
 * its weight shards.) Kept apart from the importers so that the upload route can tell the formats
 * apart without loading their readers into the web process.
 */
export const MODEL_FILE = /\.(pt|pth|safetensors|onnx|keras|h5|hdf5)$/i;
