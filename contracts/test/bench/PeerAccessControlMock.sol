// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title Bench-only access control manager for the Compound v2 peer (Venus comptroller)
 * @notice Venus's comptroller asks an access control manager before restricted setters
 *         (`_supportMarket`, `_setCollateralFactor`, caps, …). This one allows its owner only,
 *         like Venus's own `AccessControlManagerMock`. Never called by user operations, so it
 *         has no effect on the measured gas. Test-only, not for deployment.
 */
contract PeerAccessControlMock {
    /// @dev The only account allowed to call restricted functions.
    address private immutable OWNER;

    constructor() {
        OWNER = msg.sender;
    }

    /**
     * @notice Whether `account` may call `functionSig` (Venus `IAccessControlManager`).
     * @param account The caller of the restricted function.
     * @return True for the owner.
     */
    function isAllowedToCall(address account, string calldata) external view returns (bool) {
        return account == OWNER;
    }
}
