// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Batching arbitrary calls is what this contract is for.
// solhint-disable avoid-low-level-calls

/**
 * @title Multicall3 (devnet)
 * @notice A contract with the interface of Multicall3 (the batching contract deployed at
 *         0xcA11bde05977b3631167028862bE2a173976CA11 on Conflux eSpace, BNB Chain, HECO and most
 *         EVM chains), written here for local chains: `npm run devnet` places its runtime code at
 *         that canonical address with `hardhat_setCode`, so every tool that batches reads through
 *         Multicall3 (the app, the keeper) runs unchanged against the devnet. Same function
 *         signatures, structs and return values as Multicall3; failures revert with the custom
 *         errors below instead of Multicall3's revert strings. Never deployed to a real chain.
 */
contract Multicall3 {
    /// @notice A call that must succeed.
    struct Call {
        address target;
        bytes callData;
    }

    /// @notice A call that may fail when `allowFailure` is set.
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    /// @notice A call with value that may fail when `allowFailure` is set.
    struct Call3Value {
        address target;
        bool allowFailure;
        uint256 value;
        bytes callData;
    }

    /// @notice A call's outcome.
    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice Call `index` failed and was not allowed to.
    error MulticallCallFailed(uint256 index);
    /// @notice The values of the calls do not add up to `msg.value`.
    error MulticallValueMismatch(uint256 sent, uint256 needed);

    /// @notice Makes every call; reverts if any fails. Returns the block number and each return data.
    function aggregate(Call[] calldata calls) external payable returns (uint256 blockNumber, bytes[] memory returnData) {
        blockNumber = block.number;
        returnData = new bytes[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory data) = calls[i].target.call(calls[i].callData);
            if (!ok) revert MulticallCallFailed(i);
            returnData[i] = data;
        }
    }

    /// @notice Makes every call; reverts on a failure only when `requireSuccess`.
    function tryAggregate(bool requireSuccess, Call[] calldata calls) public payable returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory data) = calls[i].target.call(calls[i].callData);
            if (requireSuccess && !ok) revert MulticallCallFailed(i);
            returnData[i] = Result(ok, data);
        }
    }

    /// @notice `tryAggregate` with the block number and block hash.
    function tryBlockAndAggregate(bool requireSuccess, Call[] calldata calls)
        public
        payable
        returns (uint256 blockNumber, bytes32 blockHash, Result[] memory returnData)
    {
        blockNumber = block.number;
        blockHash = blockhash(block.number);
        returnData = tryAggregate(requireSuccess, calls);
    }

    /// @notice `tryBlockAndAggregate` requiring every call to succeed.
    function blockAndAggregate(Call[] calldata calls)
        external
        payable
        returns (uint256 blockNumber, bytes32 blockHash, Result[] memory returnData)
    {
        return tryBlockAndAggregate(true, calls);
    }

    /// @notice Makes every call; a failing call reverts the batch unless it allows failure.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory data) = calls[i].target.call(calls[i].callData);
            if (!ok && !calls[i].allowFailure) revert MulticallCallFailed(i);
            returnData[i] = Result(ok, data);
        }
    }

    /// @notice `aggregate3` with a value per call; the values must add up to `msg.value`.
    function aggregate3Value(Call3Value[] calldata calls) external payable returns (Result[] memory returnData) {
        uint256 needed = 0;
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            needed += calls[i].value;
            (bool ok, bytes memory data) = calls[i].target.call{value: calls[i].value}(calls[i].callData);
            if (!ok && !calls[i].allowFailure) revert MulticallCallFailed(i);
            returnData[i] = Result(ok, data);
        }
        if (msg.value != needed) revert MulticallValueMismatch(msg.value, needed);
    }

    /// @notice The hash of block `blockNumber` (zero beyond the last 256 blocks).
    function getBlockHash(uint256 blockNumber) external view returns (bytes32) {
        return blockhash(blockNumber);
    }

    /// @notice The current block number.
    function getBlockNumber() external view returns (uint256) {
        return block.number;
    }

    /// @notice The current block's coinbase.
    function getCurrentBlockCoinbase() external view returns (address) {
        return block.coinbase;
    }

    /// @notice The current block's prevrandao (Multicall3 names it difficulty).
    function getCurrentBlockDifficulty() external view returns (uint256) {
        return block.prevrandao;
    }

    /// @notice The current block's gas limit.
    function getCurrentBlockGasLimit() external view returns (uint256) {
        return block.gaslimit;
    }

    /// @notice The current block's timestamp.
    function getCurrentBlockTimestamp() external view returns (uint256) {
        return block.timestamp;
    }

    /// @notice The native balance of `addr`.
    function getEthBalance(address addr) external view returns (uint256) {
        return addr.balance;
    }

    /// @notice The hash of the previous block.
    function getLastBlockHash() external view returns (bytes32) {
        return blockhash(block.number - 1);
    }

    /// @notice The current block's base fee.
    function getBasefee() external view returns (uint256) {
        return block.basefee;
    }

    /// @notice The chain id.
    function getChainId() external view returns (uint256) {
        return block.chainid;
    }
}
