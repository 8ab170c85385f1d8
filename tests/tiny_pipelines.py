"""Tiny randomly initialised diffusers pipelines, saved to a folder like a downloaded model.

They have the real classes and files of Stable Diffusion, ModelScope text-to-video and Stable
Video Diffusion (UNet, VAE, CLIP encoder, tokenizer or image processor, scheduler), only with a
few channels, so a backend loads them through the same ``from_pretrained`` path as a real
model and runs them in about a second on a CPU. The tokenizer's vocabulary (one token per byte,
no merges) is written here: nothing is downloaded. Their pictures are noise, but the same noise
for the same seed.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from diffusers import (
    AutoencoderKL,
    AutoencoderKLTemporalDecoder,
    DDIMScheduler,
    EulerDiscreteScheduler,
    StableDiffusionPipeline,
    StableVideoDiffusionPipeline,
    TextToVideoSDPipeline,
    UNet2DConditionModel,
    UNet3DConditionModel,
    UNetSpatioTemporalConditionModel,
)
from tokenizers.pre_tokenizers import ByteLevel
from transformers import (
    CLIPImageProcessor,
    CLIPTextConfig,
    CLIPTextModel,
    CLIPTokenizer,
    CLIPVisionConfig,
    CLIPVisionModelWithProjection,
)

MAX_TOKENS = 77  # CLIP's prompt length; longer prompts are truncated, as with a real model
WIDTH = 16  # channels of the text encoder and of the cross-attention that reads it
SPECIAL_TOKENS = ("<|startoftext|>", "<|endoftext|>")


def write_tokenizer_files(folder: Path) -> Path:
    """vocab.json and merges.txt of a byte-level BPE tokenizer with one token per byte."""
    folder.mkdir(parents=True, exist_ok=True)
    characters = sorted(ByteLevel.alphabet())  # the 256 characters byte-level BPE maps bytes to
    tokens = [*SPECIAL_TOKENS, *characters, *(c + "</w>" for c in characters)]
    (folder / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    return folder


def tiny_tokenizer(folder: Path) -> CLIPTokenizer:
    """A CLIP tokenizer read from the files written into ``folder``."""
    write_tokenizer_files(folder)
    return CLIPTokenizer.from_pretrained(folder, model_max_length=MAX_TOKENS)


def tiny_text_encoder(tokenizer: CLIPTokenizer) -> CLIPTextModel:
    config = CLIPTextConfig(
        vocab_size=len(tokenizer),
        hidden_size=WIDTH,
        intermediate_size=2 * WIDTH,
        num_attention_heads=2,
        num_hidden_layers=2,
        max_position_embeddings=MAX_TOKENS,
        projection_dim=WIDTH,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return CLIPTextModel(config).eval()


def tiny_vae() -> AutoencoderKL:
    """A two-level VAE: latents are half the image size (vae_scale_factor 2)."""
    return AutoencoderKL(
        block_out_channels=(8, 8),
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        layers_per_block=1,
        down_block_types=("DownEncoderBlock2D",) * 2,
        up_block_types=("UpDecoderBlock2D",) * 2,
        norm_num_groups=4,
        sample_size=32,
    )


def ddim_scheduler() -> DDIMScheduler:
    return DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )


# What the tiny 2-D and 3-D UNets share: two small blocks, conditioned on the tiny text encoder.
TINY_UNET = dict(
    block_out_channels=(8, 16),
    layers_per_block=1,
    sample_size=16,
    in_channels=4,
    out_channels=4,
    cross_attention_dim=WIDTH,
    attention_head_dim=4,
    norm_num_groups=4,
)


def save_tiny_text_to_image(folder: Path, seed: int = 0) -> Path:
    """A StableDiffusionPipeline with random weights, saved in ``folder``."""
    torch.manual_seed(seed)
    tokenizer = tiny_tokenizer(folder / "tokenizer-files")
    unet = UNet2DConditionModel(
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        **TINY_UNET,
    )
    pipe = StableDiffusionPipeline(
        vae=tiny_vae(),
        text_encoder=tiny_text_encoder(tokenizer),
        tokenizer=tokenizer,
        unet=unet,
        scheduler=ddim_scheduler(),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(folder / "model")
    return folder / "model"


def save_tiny_text_to_video(folder: Path, seed: int = 0) -> Path:
    """A TextToVideoSDPipeline (ModelScope layout) with random weights, saved in ``folder``."""
    torch.manual_seed(seed)
    tokenizer = tiny_tokenizer(folder / "tokenizer-files")
    unet = UNet3DConditionModel(
        down_block_types=("CrossAttnDownBlock3D", "DownBlock3D"),
        up_block_types=("UpBlock3D", "CrossAttnUpBlock3D"),
        **TINY_UNET,
    )
    pipe = TextToVideoSDPipeline(
        vae=tiny_vae(),
        text_encoder=tiny_text_encoder(tokenizer),
        tokenizer=tokenizer,
        unet=unet,
        scheduler=ddim_scheduler(),
    )
    pipe.save_pretrained(folder / "model")
    return folder / "model"


def save_tiny_image_to_video(folder: Path, seed: int = 0) -> Path:
    """A StableVideoDiffusionPipeline with random weights, saved in ``folder``."""
    torch.manual_seed(seed)
    unet = UNetSpatioTemporalConditionModel(  # its blocks normalise in groups of 32 channels: 32 is the least
        block_out_channels=(32, 32),
        layers_per_block=1,
        sample_size=16,
        in_channels=8,
        out_channels=4,
        down_block_types=("CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal"),
        up_block_types=("UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"),
        cross_attention_dim=32,
        num_attention_heads=(2, 2),
        num_frames=8,
        addition_time_embed_dim=8,
        projection_class_embeddings_input_dim=3 * 8,  # fps, motion, noise level
    )
    vae = AutoencoderKLTemporalDecoder(
        block_out_channels=(32, 32, 32),
        down_block_types=("DownEncoderBlock2D",) * 3,
        latent_channels=4,
        layers_per_block=1,
    )
    image_encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=32,
            projection_dim=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            image_size=224,
            patch_size=32,  # the pipeline resizes the still to 224 px for the encoder
        )
    ).eval()
    euler = EulerDiscreteScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        prediction_type="v_prediction",
        sigma_max=700.0,
        sigma_min=0.002,
        steps_offset=1,
        timestep_type="continuous",
        use_karras_sigmas=True,
    )
    pipe = StableVideoDiffusionPipeline(
        vae=vae,
        image_encoder=image_encoder,
        unet=unet,
        scheduler=euler,
        feature_extractor=CLIPImageProcessor(size=224, crop_size=224),
    )
    pipe.save_pretrained(folder / "model")
    return folder / "model"
