// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @notice Test-only: OpenZeppelin's MerkleProof on the leaves RewardsDistributor claims with.
contract MerkleProofHarness {
    /// @notice The StandardMerkleTree leaf of `(account, cumulativeAmount)` (as RewardsDistributor.leaf).
    /// @param account The account.
    /// @param cumulativeAmount The amount.
    /// @return The leaf hash.
    function leaf(address account, uint256 cumulativeAmount) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
    }

    /// @notice Whether `proof` proves `(account, cumulativeAmount)` under `root`.
    /// @param proof The proof.
    /// @param root The root.
    /// @param account The account.
    /// @param cumulativeAmount The amount.
    /// @return True if valid.
    function verify(bytes32[] calldata proof, bytes32 root, address account, uint256 cumulativeAmount)
        external
        pure
        returns (bool)
    {
        return MerkleProof.verifyCalldata(proof, root, leaf(account, cumulativeAmount));
    }
}
