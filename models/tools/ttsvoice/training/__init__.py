"""Training of the slt bundle's networks on the teacher data: the acoustic model (acoustic), then the neural
vocoder on its predicted mels (vocoder). Both read the data through dataset and keep their state with
ttsvoice.checkpoint, so an interrupted run continues where it stopped."""
